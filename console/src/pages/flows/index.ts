import { definePageModule } from '../../app/page-module'

/** The flow builder is its own app (React, /builder); the console links to it for admins, who edit flows. */
export default definePageModule({
  nav: [{ to: '/builder', label: 'flows.nav', icon: 'flow', role: 'admin', order: 30, group: 'main', external: true }],
  messages: {
    en: { flows: { nav: 'Flow builder' } },
    'zh-CN': { flows: { nav: '流程设计器' } },
  },
})
