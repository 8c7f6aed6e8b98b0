import type { PluginContext, PluginFetchInit, PluginResponse } from '@switchboard/plugin-sdk'

/**
 * A `ctx.fetch` whose `chunks()` yields the body as it arrives over the socket, the way the
 * host streams it. The SDK harness reads the whole body first, so tests of incremental
 * progress swap this in (after the harness's own host check has been tested separately).
 */
export function streamingFetch(allowedOrigin: string): PluginContext['fetch'] {
  return async (url: string, init?: PluginFetchInit): Promise<PluginResponse> => {
    if (!url.startsWith(allowedOrigin)) throw new Error(`streamingFetch: ${url} is outside ${allowedOrigin}`)
    const response = await fetch(url, {
      method: init?.method ?? 'GET',
      headers: init?.headers,
      body: init?.body,
      signal: AbortSignal.timeout(init?.timeoutMs ?? 10_000),
    })
    let used = false
    const take = () => {
      if (used) throw new Error('body already read')
      used = true
    }
    return {
      status: response.status,
      ok: response.ok,
      headers: Object.fromEntries(response.headers),
      async text() {
        take()
        return response.text()
      },
      async json() {
        take()
        return response.json() as Promise<unknown>
      },
      async *chunks() {
        take()
        const decoder = new TextDecoder()
        for await (const bytes of response.body!) {
          const text = decoder.decode(bytes as Uint8Array, { stream: true })
          if (text !== '') yield text
        }
        const rest = decoder.decode()
        if (rest !== '') yield rest
      },
    }
  }
}
