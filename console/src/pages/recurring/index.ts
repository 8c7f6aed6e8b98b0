import { definePageModule } from '../../app/page-module'
import { recurringMessages } from './messages'

/** Recurring issues: the same customer with the same problem again and again (supervisors). */
export default definePageModule({
  routes: [
    {
      path: '/recurring-issues',
      component: () => import('./RecurringIssuesPage.vue'),
      meta: { role: 'supervisor', title: 'recurring.title' },
    },
    {
      path: '/recurring-issues/:id',
      component: () => import('./RecurringIssuesPage.vue'),
      meta: { role: 'supervisor', title: 'recurring.title' },
    },
  ],
  nav: [
    { to: '/recurring-issues', label: 'recurring.nav', icon: 'refresh', role: 'supervisor', order: 24, group: 'main' },
  ],
  messages: recurringMessages,
})
