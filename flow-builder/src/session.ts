import { api, signInAgain } from './api/http'

export interface BuilderUser {
  id: string
  email: string
  name: string
  role: 'admin' | 'supervisor' | 'agent'
  locale: string
}

/** Who is signed in (the console's sb_session cookie); nobody → the console's login page and back. */
export async function loadSession(): Promise<BuilderUser | null> {
  try {
    return await api.get<BuilderUser>('/api/v1/auth/me')
  } catch {
    signInAgain()
    return null
  }
}
