import { definePageModule } from '../../app/page-module'

/** Callbacks: an agent's own and, for supervisors, everyone's (the words load with the tickets module). */
export default definePageModule({
  routes: [
    {
      path: '/callbacks',
      component: () => import('./CallbacksPage.vue'),
      meta: { role: 'agent', title: 'callbacks.title' },
    },
    {
      path: '/callbacks/:id',
      component: () => import('./CallbacksPage.vue'),
      meta: { role: 'agent', title: 'callbacks.title' },
    },
  ],
  nav: [{ to: '/callbacks', label: 'callbacks.nav', icon: 'phone', role: 'agent', order: 16, group: 'main' }],
})
