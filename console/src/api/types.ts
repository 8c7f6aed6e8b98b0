/** Shapes the console shares across pages. Page folders keep their own DTO types next to them. */
export type Role = 'admin' | 'supervisor' | 'agent'

export interface AuthUser {
  id: string
  email: string
  name: string
  role: Role
  locale: string
}

export type Presence = 'available' | 'away' | 'busy' | 'after-call-work'

const RANK: Record<Role, number> = { agent: 1, supervisor: 2, admin: 3 }
/** Roles nest: admin ⊃ supervisor ⊃ agent, as on the server. */
export function hasRole(user: Pick<AuthUser, 'role'> | null | undefined, needed: Role): boolean {
  return !!user && RANK[user.role] >= RANK[needed]
}
