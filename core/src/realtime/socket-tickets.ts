import { createHmac } from 'node:crypto'
import type { Server } from '@hapi/hapi'

/** The id of the route nes adds at the ticket endpoint. */
export const TICKET_ROUTE_ID = 'nes.auth'

/**
 * The key nes seals socket tickets with (iron). It is derived from the cookie secret, which every
 * instance shares, so a ticket made by one instance opens a socket on any other behind the same
 * load balancer.
 */
export function ticketPassword(cookieSecret: string): string {
  return createHmac('sha256', cookieSecret).update('switchboard realtime socket ticket').digest('hex')
}

/** What a ticket carries besides the credentials of the moment: the login or API token itself. */
export interface TicketArtifacts {
  token: string
}

/**
 * nes seals `{ credentials, artifacts }` of the ticket request into the ticket. The credentials are
 * only a snapshot; the token is what lets every later connection check the sign-in again (logged
 * out, expired, revoked, role changed), exactly as a REST request would. The session cookie's
 * artifacts already hold it; for a bearer token it is put there.
 */
export function carryTokenIntoTickets(server: Server): void {
  server.ext('onCredentials', (request, h) => {
    if (request.route.settings.id !== TICKET_ROUTE_ID || !request.auth.isAuthenticated) return h.continue
    const fromCookie = (request.auth.artifacts as { token?: unknown } | null | undefined)?.token
    const fromHeader = /^Bearer\s+(\S+)$/i.exec(String(request.headers.authorization ?? ''))?.[1]
    const token = request.auth.strategy === 'bearer' ? fromHeader : fromCookie
    request.auth.artifacts = (typeof token === 'string' ? { token } : {}) satisfies Partial<TicketArtifacts>
    return h.continue
  })
}

/** The token a socket's ticket carries, if any. */
export function ticketTokenOf(artifacts: unknown): string | null {
  const token = (artifacts as Partial<TicketArtifacts> | null | undefined)?.token
  return typeof token === 'string' ? token : null
}
