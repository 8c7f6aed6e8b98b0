import { definePageModule } from '../../app/page-module'

export default definePageModule({
  publicRoutes: [{ path: '/login', component: () => import('./LoginPage.vue'), meta: { title: 'login.title' } }],
  messages: {
    en: {
      login: {
        title: 'Sign in',
        subtitle: 'Sign in to the Switchboard console',
        email: 'Email',
        password: 'Password',
        submit: 'Sign in',
        expired: 'Your session ended. Please sign in again.',
        failed: 'Email or password is wrong',
        tagline: 'Every channel, one inbox. Self-hosted.',
      },
    },
    'zh-CN': {
      login: {
        title: '登录',
        subtitle: '登录 Switchboard 控制台',
        email: '邮箱',
        password: '密码',
        submit: '登录',
        expired: '会话已结束，请重新登录。',
        failed: '邮箱或密码错误',
        tagline: '全渠道，一个收件箱。自主部署。',
      },
    },
  },
})
