import { definePageModule } from '../../app/page-module'
import { en } from './messages/en'
import { zhCN } from './messages/zh-CN'

/**
 * Administration: users, teams, queues and skills (with business hours), channels and the web
 * chat snippet, plugins, and the knowledge base with intents. Supervisors see the knowledge base
 * (read and try it); everything that changes the set-up is for admins.
 */
export default definePageModule({
  routes: [
    {
      path: 'admin/users',
      component: () => import('./users/UsersPage.vue'),
      meta: { role: 'admin', title: 'admin.users.title' },
    },
    {
      path: 'admin/teams',
      component: () => import('./teams/TeamsPage.vue'),
      meta: { role: 'admin', title: 'admin.teams.title' },
    },
    {
      path: 'admin/queues',
      component: () => import('./queues/QueuesPage.vue'),
      meta: { role: 'admin', title: 'admin.queues.title' },
    },
    {
      path: 'admin/channels',
      component: () => import('./channels/ChannelsPage.vue'),
      meta: { role: 'admin', title: 'admin.channels.title' },
    },
    {
      path: 'admin/plugins',
      component: () => import('./plugins/PluginsPage.vue'),
      meta: { role: 'admin', title: 'admin.plugins.title' },
    },
    {
      path: 'admin/knowledge',
      component: () => import('./knowledge/KnowledgePage.vue'),
      meta: { role: 'supervisor', title: 'admin.knowledge.title' },
    },
  ],
  nav: [
    { to: '/admin/users', label: 'admin.nav.users', icon: 'user', role: 'admin', order: 100, group: 'admin' },
    { to: '/admin/teams', label: 'admin.nav.teams', icon: 'users', role: 'admin', order: 110, group: 'admin' },
    { to: '/admin/queues', label: 'admin.nav.queues', icon: 'queue', role: 'admin', order: 120, group: 'admin' },
    { to: '/admin/channels', label: 'admin.nav.channels', icon: 'channel', role: 'admin', order: 130, group: 'admin' },
    { to: '/admin/plugins', label: 'admin.nav.plugins', icon: 'plug', role: 'admin', order: 140, group: 'admin' },
    {
      to: '/admin/knowledge',
      label: 'admin.nav.knowledge',
      icon: 'book',
      role: 'supervisor',
      order: 150,
      group: 'admin',
    },
  ],
  messages: { en: { admin: en }, 'zh-CN': { admin: zhCN } },
})
