import { definePageModule } from '../../app/page-module'
import { messages } from './messages'

const ReportsPage = () => import('./ReportsPage.vue')

/**
 * Reports (supervisors): the contact centre's figures over a period, by interval and group, with
 * charts, a CSV export and the week's top issues; and the 48-hour forecast with the staffing it needs.
 */
export default definePageModule({
  routes: [
    {
      // one parent, so the navigation's "Reports" stays lit on the forecast tab
      path: '/reports',
      meta: { role: 'supervisor', title: 'reports.title' },
      children: [
        { path: '', component: ReportsPage },
        { path: 'forecast', component: ReportsPage },
      ],
    },
  ],
  nav: [{ to: '/reports', label: 'reports.nav', icon: 'history', role: 'supervisor', order: 22, group: 'main' }],
  messages,
})
