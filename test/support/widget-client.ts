import WebSocket from 'ws'

export type WidgetFrame = Record<string, unknown> & { type: string }

export interface WidgetClient {
  frames: WidgetFrame[]
  /** the first frame (already received or still to come) that passes the test; rejects after `timeoutMs` */
  waitFor(test: (f: WidgetFrame) => boolean, timeoutMs?: number): Promise<WidgetFrame>
  send(frame: unknown): void
  close(): void
}

/**
 * A client that speaks the web chat widget's socket protocol (docs/channels.md), for tests that
 * drive visitors without a browser: `/hooks/<plugin>/ws/<socket>?visitor=…[&lang=…]`.
 */
export async function openWidgetSocket(
  baseUrl: string,
  options: { visitor: string; lang?: string; plugin?: string; socket?: string; origin?: string; timeoutMs?: number },
): Promise<WidgetClient> {
  const query = new URLSearchParams({ visitor: options.visitor })
  if (options.lang) query.set('lang', options.lang)
  const url = `${baseUrl.replace(/^http/, 'ws')}/hooks/${options.plugin ?? 'channel-webchat'}/ws/${options.socket ?? 'chat'}?${query}`
  const frames: WidgetFrame[] = []
  const ws = new WebSocket(url, options.origin ? { origin: options.origin } : {})
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as WidgetFrame))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate()
      reject(new Error(`no socket to ${url} within ${options.timeoutMs ?? 5000} ms`))
    }, options.timeoutMs ?? 5000)
    ws.once('open', () => {
      clearTimeout(timer)
      resolve()
    })
    ws.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    ws.once('unexpected-response', (_req, res) => {
      clearTimeout(timer)
      reject(new Error(`HTTP ${res.statusCode}`))
    })
  })
  return {
    frames,
    async waitFor(test, timeoutMs = 5000) {
      for (let waited = 0; waited < timeoutMs; waited += 20) {
        const found = frames.find(test)
        if (found) return found
        if (ws.readyState === WebSocket.CLOSED) break
        await new Promise((r) => setTimeout(r, 20))
      }
      const found = frames.find(test)
      if (found) return found
      throw new Error(
        `no such frame (socket ${ws.readyState === WebSocket.CLOSED ? 'closed' : 'open'}) in ${JSON.stringify(frames)}`,
      )
    },
    send: (frame) => ws.send(JSON.stringify(frame)),
    close: () => ws.close(),
  }
}
