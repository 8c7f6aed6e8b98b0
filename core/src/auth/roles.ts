import { z } from 'zod'

/**
 * Roles are nested: an admin can do what a supervisor can, a supervisor what an agent can.
 * A user's credentials carry every role they include as hapi `scope`, so a route declares the
 * least role it needs (`auth: { access: { scope: ['supervisor'] } }`) and hapi answers 403.
 */
export const roles = ['admin', 'supervisor', 'agent'] as const
export const roleSchema = z.enum(roles)
export type Role = z.infer<typeof roleSchema>

const includes: Record<Role, Role[]> = {
  admin: ['admin', 'supervisor', 'agent'],
  supervisor: ['supervisor', 'agent'],
  agent: ['agent'],
}

export function scopesOf(role: Role): Role[] {
  return includes[role]
}

export function roleIncludes(role: Role, needed: Role): boolean {
  return includes[role].includes(needed)
}
