import { definePageModule } from '../../app/page-module'
import { messages } from './messages'

const QualityPage = () => import('./QualityPage.vue')

/**
 * Quality inspection: supervisors read the results of every inspected conversation, review them
 * (agree or override, with a coaching note), follow the scorecards and read the rules, which
 * admins edit and try; every agent sees their own scorecard and coaching under "My quality".
 */
export default definePageModule({
  routes: [
    {
      // one parent, so the navigation's "Quality" stays lit on every tab and result
      path: '/quality',
      meta: { title: 'quality.title' },
      children: [
        { path: '', component: QualityPage, meta: { role: 'supervisor' } },
        { path: 'scorecards', component: QualityPage, meta: { role: 'supervisor' } },
        { path: 'rules', component: QualityPage, meta: { role: 'supervisor' } },
        {
          path: 'results/:id',
          component: () => import('./ResultDetailPage.vue'),
          meta: { role: 'agent', title: 'quality.detail.pageTitle' },
        },
      ],
    },
    {
      path: '/quality/me',
      component: () => import('./MyQualityPage.vue'),
      meta: { role: 'agent', title: 'quality.mine.title' },
    },
  ],
  nav: [
    { to: '/quality/me', label: 'quality.navMine', icon: 'star', role: 'agent', order: 18, group: 'main' },
    { to: '/quality', label: 'quality.nav', icon: 'verified', role: 'supervisor', order: 26, group: 'main' },
  ],
  messages,
})
