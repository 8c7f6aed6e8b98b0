import ora, { type Ora } from 'ora'
import { isSwitchboardError } from '@switchboard/core'

/** Runs a long step with a spinner on a terminal, a plain line otherwise, and its duration at the end. */
export async function step<T>(label: string, run: (progress: (text: string) => void) => Promise<T>): Promise<T> {
  const started = Date.now()
  const interactive = process.stderr.isTTY === true
  const spinner: Ora | undefined = interactive ? ora({ text: label, stream: process.stderr }).start() : undefined
  if (!interactive) process.stderr.write(`… ${label}\n`)
  const progress = (text: string) => {
    if (spinner) spinner.text = `${label} — ${text}`
    else process.stderr.write(`  ${text}\n`)
  }
  try {
    const result = await run(progress)
    const done = `${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`
    if (spinner) spinner.succeed(done)
    else process.stderr.write(`✔ ${done}\n`)
    return result
  } catch (error) {
    if (spinner) spinner.fail(label)
    else process.stderr.write(`✖ ${label}\n`)
    throw error
  }
}

/** Prints an error the way a user can act on it: the message, no stack (unless DEBUG is set). */
export function reportError(error: unknown): number {
  if (isSwitchboardError(error)) {
    process.stderr.write(`switchboard: ${error.message}\n`)
    if (process.env.DEBUG) process.stderr.write(`${(error as Error).stack}\n`)
    return error.kind === 'user' ? 2 : 1
  }
  process.stderr.write(
    `switchboard: unexpected error: ${error instanceof Error ? (process.env.DEBUG ? error.stack : error.message) : String(error)}\n`,
  )
  return 1
}

export function table(rows: Array<Record<string, string>>): string {
  if (rows.length === 0) return '(none)\n'
  const columns = Object.keys(rows[0]!)
  const width = (c: string) => Math.max(c.length, ...rows.map((r) => displayWidth(r[c] ?? '')))
  const widths = columns.map(width)
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell + ' '.repeat(widths[i]! - displayWidth(cell)))
      .join('  ')
      .trimEnd()
  return (
    [
      line(columns),
      line(widths.map((w) => '─'.repeat(w))),
      ...rows.map((r) => line(columns.map((c) => r[c] ?? ''))),
    ].join('\n') + '\n'
  )
}

/** Terminal width of a text: CJK characters take two columns. */
function displayWidth(text: string): number {
  let width = 0
  for (const ch of text)
    width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch)
      ? 2
      : 1
  return width
}
