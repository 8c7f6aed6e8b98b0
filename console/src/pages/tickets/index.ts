import { definePageModule } from '../../app/page-module'
import { callbackMessages } from '../../features/callbacks/messages'
import { ticketMessages } from '../../features/tickets/messages'
import { notificationMessages } from '../../layout/notification-messages'

/** Tickets: the list, the board by status and one ticket's page (every signed-in agent). */
export default definePageModule({
  routes: [
    {
      path: '/tickets',
      component: () => import('./TicketsPage.vue'),
      meta: { role: 'agent', title: 'tickets.title' },
    },
    {
      path: '/tickets/board',
      component: () => import('./TicketsPage.vue'),
      meta: { role: 'agent', title: 'tickets.title' },
    },
    {
      path: '/tickets/:id(\\d+)',
      component: () => import('./TicketDetailPage.vue'),
      meta: { role: 'agent', title: 'tickets.title' },
    },
  ],
  nav: [{ to: '/tickets', label: 'tickets.nav', icon: 'ticket', role: 'agent', order: 14, group: 'main' }],
  // the ticket strip, the callback dialog, the SLA badges and the shell's notification center show on
  // every page: their words load here (the notification ones merge into common.ts `notifications`)
  messages: {
    en: { ...ticketMessages.en, ...callbackMessages.en, ...notificationMessages.en },
    'zh-CN': { ...ticketMessages['zh-CN'], ...callbackMessages['zh-CN'], ...notificationMessages['zh-CN'] },
  },
})
