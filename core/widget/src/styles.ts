/** The widget's CSS, scoped by its shadow root; `--sb-accent` is the channel's colour. */
export const STYLES = `
:host { all: initial; font: 14px/1.45 system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; color: #1f2937 }
* { box-sizing: border-box }
.launcher { position: fixed; right: 20px; bottom: 20px; width: 56px; height: 56px; border-radius: 50%; border: 0;
  background: var(--sb-accent); color: #fff; cursor: pointer; box-shadow: 0 4px 14px rgba(0,0,0,.25); z-index: 2147483000 }
.launcher svg { width: 28px; height: 28px }
.panel { position: fixed; right: 20px; bottom: 88px; width: 370px; height: min(600px, calc(100vh - 110px)); display: none;
  flex-direction: column; background: #fff; border-radius: 14px; overflow: hidden; box-shadow: 0 10px 40px rgba(0,0,0,.22); z-index: 2147483001 }
.panel.open { display: flex }
header { background: var(--sb-accent); color: #fff; padding: 14px 16px; display: flex; align-items: center; gap: 8px }
header .title { flex: 1; font-weight: 600; font-size: 16px }
header button { background: none; border: 0; color: #fff; font-size: 22px; cursor: pointer; line-height: 1 }
.status { font-size: 12px; padding: 4px 12px; background: #fef3c7; color: #92400e; display: none }
.status.show { display: block }
.list { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 8px; background: #f8fafc }
.msg { max-width: 80%; padding: 8px 12px; border-radius: 14px; white-space: pre-wrap; word-break: break-word }
.msg.in { align-self: flex-end; background: var(--sb-accent); color: #fff; border-bottom-right-radius: 4px }
.msg.out { align-self: flex-start; background: #fff; border: 1px solid #e5e7eb; border-bottom-left-radius: 4px }
.msg.pending { opacity: .6 }
.msg.failed { outline: 1px solid #dc2626 }
.msg .who { display: block; font-size: 11px; color: #6b7280; margin-bottom: 2px }
.msg img { max-width: 220px; max-height: 240px; min-width: 40px; border-radius: 8px; display: block; background: #fff }
.msg.media { padding: 4px }
.msg a { color: inherit }
.welcome { align-self: flex-start; background: #fff; border: 1px dashed #cbd5e1; color: #475569 }
.quick { display: flex; flex-wrap: wrap; gap: 6px; padding: 0 12px 8px; background: #f8fafc }
.quick button { border: 1px solid var(--sb-accent); color: var(--sb-accent); background: #fff; border-radius: 16px; padding: 5px 12px; cursor: pointer; font: inherit }
.typing { font-size: 12px; color: #6b7280; padding: 0 14px 6px; min-height: 18px; background: #f8fafc }
.composer { display: flex; gap: 6px; padding: 10px; border-top: 1px solid #e5e7eb; align-items: center }
.composer input[type=text] { flex: 1; border: 1px solid #d1d5db; border-radius: 18px; padding: 9px 14px; font: inherit; outline: none; min-width: 0 }
.composer input[type=text]:focus { border-color: var(--sb-accent) }
.composer button { border: 0; background: var(--sb-accent); color: #fff; border-radius: 18px; padding: 9px 14px; cursor: pointer; font: inherit }
.composer .attach { background: none; color: #6b7280; padding: 6px; display: flex }
.card { align-self: stretch; background: #fff; border: 1px solid #e5e7eb; border-radius: 12px; padding: 12px; display: flex; flex-direction: column; gap: 8px }
.card input, .card textarea { border: 1px solid #d1d5db; border-radius: 8px; padding: 8px; font: inherit }
.card button { border: 0; background: var(--sb-accent); color: #fff; border-radius: 8px; padding: 8px; cursor: pointer; font: inherit }
.stars { display: flex; gap: 4px; justify-content: center }
.stars button { background: none; border: 0; font-size: 28px; color: #d1d5db; cursor: pointer; padding: 0 2px }
.stars button.on { color: #f59e0b }
@media (max-width: 480px) {
  .panel { right: 0; bottom: 0; width: 100vw; height: 100%; border-radius: 0 }
  .launcher.hidden { display: none }
}
`
