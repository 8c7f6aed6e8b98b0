import type { Request, Server } from '@hapi/hapi'

/**
 * The caller's address, for the audit log and sessions. Behind a reverse proxy every request
 * comes from the proxy, so with `server.trustProxy` the left-most X-Forwarded-For entry is used
 * (only turn that on when a proxy you run sets the header; clients can forge it otherwise).
 */
export function registerClientIp(server: Server, trustProxy: boolean): void {
  server.ext('onRequest', (request, h) => {
    const forwarded = trustProxy
      ? String(request.headers['x-forwarded-for'] ?? '')
          .split(',')[0]
          ?.trim()
      : ''
    ;(request.app as { clientIp?: string }).clientIp = forwarded || request.info.remoteAddress
    return h.continue
  })
}

export function clientIp(request: Request): string {
  return (request.app as { clientIp?: string }).clientIp ?? request.info.remoteAddress
}
