import { definePageModule } from '../../app/page-module'
import { serviceLevelMessages } from './messages'

/**
 * Service levels in the administration: SLA policies, escalation rules and the attainment report
 * (pages/admin/sla), and follow-up surveys (pages/admin/surveys). Supervisors read them; admins
 * change them. The pages live beside the other admin pages; this module only plugs them in.
 */
export default definePageModule({
  routes: [
    {
      path: '/admin/sla',
      component: () => import('../admin/sla/SlaPage.vue'),
      meta: { role: 'supervisor', title: 'sla.title' },
    },
    {
      path: '/admin/surveys',
      component: () => import('../admin/surveys/SurveysPage.vue'),
      meta: { role: 'supervisor', title: 'surveys.title' },
    },
  ],
  nav: [
    { to: '/admin/sla', label: 'sla.nav', icon: 'clock', role: 'supervisor', order: 125, group: 'admin' },
    { to: '/admin/surveys', label: 'surveys.nav', icon: 'star', role: 'supervisor', order: 127, group: 'admin' },
  ],
  messages: serviceLevelMessages,
})
