import type { Request, Server } from '@hapi/hapi'

/**
 * The caller's address, for the audit log and sessions. Behind a reverse proxy every request
 * comes from the proxy, so with `server.trustProxy` the right-most X-Forwarded-For entry (the
 * one the proxy appended) is used; entries to its left were sent by the client and can be forged.
 */
export function registerClientIp(server: Server, trustProxy: boolean): void {
  server.ext('onRequest', (request, h) => {
    const forwarded = trustProxy
      ? String(request.headers['x-forwarded-for'] ?? '')
          .split(',')
          .at(-1)
          ?.trim()
      : ''
    ;(request.app as { clientIp?: string }).clientIp = forwarded || request.info.remoteAddress
    return h.continue
  })
}

export function clientIp(request: Request): string {
  return (request.app as { clientIp?: string }).clientIp ?? request.info.remoteAddress
}
