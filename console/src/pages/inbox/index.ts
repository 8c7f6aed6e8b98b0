import { definePageModule } from '../../app/page-module'
import { en, zhCN } from './messages'

/** The agent's inbox and conversation workspace (supervisors see every conversation in it too). */
export default definePageModule({
  routes: [
    { path: '/inbox', component: () => import('./InboxPage.vue'), meta: { role: 'agent', title: 'inbox.title' } },
    { path: '/inbox/:id', component: () => import('./InboxPage.vue'), meta: { role: 'agent', title: 'inbox.title' } },
  ],
  nav: [{ to: '/inbox', label: 'inbox.nav', icon: 'inbox', role: 'agent', order: 10, group: 'main' }],
  messages: { en, 'zh-CN': zhCN },
})
