import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, setUnauthenticatedHandler } from '../api/http'
import { hasRole, type AuthUser, type Role } from '../api/types'
import { pickLocale, setLocale, type Locale } from '../i18n'
import { realtime } from '../realtime/realtime'

/** Who is signed in. The sb_session cookie is the login; this store only mirrors /api/v1/auth/me. */
export const useSessionStore = defineStore('session', () => {
  const user = ref<AuthUser | null>(null)
  const checked = ref(false)
  /** set when a call answered 401: the router sends the user to the login page */
  const expired = ref(false)

  const signedIn = computed(() => user.value !== null)
  const can = (role: Role) => hasRole(user.value, role)

  function adopt(next: AuthUser) {
    user.value = next
    expired.value = false
    setLocale(pickLocale(localStorage.getItem('sb.locale') ?? next.locale))
  }

  /** Loads the signed-in user once per page load; false when nobody is signed in. */
  async function restore(): Promise<boolean> {
    if (checked.value) return signedIn.value
    try {
      adopt(await api.get<AuthUser>('/api/v1/auth/me'))
    } catch {
      user.value = null
    }
    checked.value = true
    return signedIn.value
  }

  async function login(email: string, password: string): Promise<void> {
    const result = await api.post<{ user: AuthUser }>('/api/v1/auth/login', { email, password })
    adopt(result.user)
    checked.value = true
  }

  async function logout(): Promise<void> {
    await realtime.disconnect()
    await api.post('/api/v1/auth/logout').catch(() => {})
    user.value = null
  }

  /** Switches the language now and keeps it on the user's profile. */
  async function changeLocale(locale: Locale): Promise<void> {
    setLocale(locale)
    if (user.value) {
      user.value = { ...user.value, locale }
      await api.patch('/api/v1/auth/me', { locale }).catch(() => {})
    }
  }

  setUnauthenticatedHandler(() => {
    if (user.value) expired.value = true
    user.value = null
  })

  return { user, checked, expired, signedIn, can, restore, login, logout, changeLocale }
})
