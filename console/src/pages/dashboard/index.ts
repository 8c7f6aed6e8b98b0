import { definePageModule } from '../../app/page-module'
import { messages } from './messages'

export default definePageModule({
  routes: [
    {
      path: '/dashboard',
      component: () => import('./DashboardPage.vue'),
      meta: { role: 'supervisor', title: 'dashboard.title' },
    },
  ],
  nav: [{ to: '/dashboard', label: 'dashboard.nav', icon: 'dashboard', role: 'supervisor', order: 20, group: 'main' }],
  messages,
})
