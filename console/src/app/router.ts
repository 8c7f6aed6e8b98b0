import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import AppShell from '../layout/AppShell.vue'
import { i18n } from '../i18n'
import { useSessionStore } from '../stores/session'
import { navEntries, pageModules } from './registry'

const shellChildren: RouteRecordRaw[] = pageModules.flatMap((m) => m.routes ?? [])
const publicRoutes: RouteRecordRaw[] = pageModules.flatMap((m) => m.publicRoutes ?? [])

export const router = createRouter({
  history: createWebHistory('/console/'),
  routes: [
    ...publicRoutes,
    {
      path: '/',
      component: AppShell,
      children: [
        {
          path: '',
          name: 'home',
          // the first page this user may open: the inbox for agents, the dashboard otherwise
          redirect: () => {
            const session = useSessionStore()
            return navEntries.find((n) => !n.external && session.can(n.role))?.to ?? '/login'
          },
        },
        ...shellChildren,
      ],
    },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

router.beforeEach(async (to) => {
  const session = useSessionStore()
  const isPublic = publicRoutes.some((r) => r.path === to.path)
  const signedIn = await session.restore()
  if (isPublic) {
    if (!signedIn || to.path !== '/login') return true
    // already signed in and sent here by the flow builder: straight back to it
    const back = to.query.return
    if (typeof back === 'string' && /^\/builder(\/|$)/.test(back)) {
      location.assign(back)
      return false
    }
    return '/'
  }
  if (!signedIn || !session.signedIn) return { path: '/login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  const needed = to.matched.reduce<string | undefined>((role, r) => r.meta.role ?? role, undefined)
  if (needed && !session.can(needed as 'agent')) return '/'
  return true
})

router.afterEach((to) => {
  const title = to.meta.title ? i18n.global.t(to.meta.title) : null
  document.title = title ? `${title} · Switchboard` : 'Switchboard'
})
