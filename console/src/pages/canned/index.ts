import { definePageModule } from '../../app/page-module'
import { customerMessages } from '../../features/customer/messages'
import { repliesMessages } from '../../features/replies/messages'
import { cannedMessages } from './messages'

/**
 * Canned responses (supervisors and admins manage the shared ones). This module also carries the
 * words of the customer panel and the suggested replies, which the inbox renders.
 */
export default definePageModule({
  routes: [
    {
      path: 'admin/canned',
      component: () => import('./CannedPage.vue'),
      meta: { role: 'supervisor', title: 'canned.title' },
    },
  ],
  nav: [{ to: '/admin/canned', label: 'canned.nav', icon: 'reply', role: 'supervisor', order: 155, group: 'admin' }],
  messages: {
    en: { canned: cannedMessages.en, customer: customerMessages.en, replies: repliesMessages.en },
    'zh-CN': {
      canned: cannedMessages['zh-CN'],
      customer: customerMessages['zh-CN'],
      replies: repliesMessages['zh-CN'],
    },
  },
})
