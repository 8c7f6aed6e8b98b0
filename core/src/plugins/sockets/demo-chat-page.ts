/** The demo shop's page: a product list and the chat widget, as a shop would embed it. */
export function demoChatPage(): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo Shop 演示商店</title>
<style>
  body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; color: #1f2937; background: #f8fafc }
  header { background: #0f766e; color: #fff; padding: 16px 24px; font-size: 20px; font-weight: 600 }
  main { max-width: 960px; margin: 24px auto; padding: 0 16px; display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 16px }
  .card { background: #fff; border-radius: 10px; padding: 16px; box-shadow: 0 1px 3px rgba(0,0,0,.08) }
  .card .price { color: #b91c1c; font-weight: 600 }
  p.hint { max-width: 960px; margin: 0 auto; padding: 0 16px; color: #64748b }
</style>
</head>
<body>
<header>Demo Shop 演示商店</header>
<p class="hint">Ask the chat about order 2026111812345 — 试试问“我的订单到哪了？订单号 2026111812345”</p>
<main>
  <div class="card"><h3>Bluetooth earbuds 蓝牙耳机</h3><p class="price">¥199</p></div>
  <div class="card"><h3>Thermos 保温杯</h3><p class="price">¥89</p></div>
  <div class="card"><h3>Phone case 手机壳</h3><p class="price">¥39</p></div>
</main>
<script src="/widget.js" data-channel="channel-webchat" async></script>
</body>
</html>
`
}
