import { definePageModule } from '../../app/page-module'
import { shiftsMessages } from './messages'

/** Shifts (supervisors): the agents' rota by week, shifts added one by one or as a week pattern. */
export default definePageModule({
  routes: [
    {
      path: 'shifts',
      component: () => import('./ShiftsPage.vue'),
      meta: { role: 'supervisor', title: 'shifts.title' },
    },
  ],
  nav: [{ to: '/shifts', label: 'shifts.nav', icon: 'clock', role: 'supervisor', order: 23, group: 'main' }],
  messages: { en: { shifts: shiftsMessages.en }, 'zh-CN': { shifts: shiftsMessages['zh-CN'] } },
})
