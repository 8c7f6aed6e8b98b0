/** The notification center's words beside the shell's own (common.ts `notifications`), merged into them. */
export const notificationMessages = {
  en: {
    notifications: {
      none: 'Nothing new. SLA warnings, escalations and callbacks due show up here.',
      clear: 'Clear',
      open: 'Open',
      desktopOn: 'Desktop notifications on',
    },
  },
  'zh-CN': {
    notifications: {
      none: '暂无新通知。SLA 预警、工单升级和到期回呼会显示在这里。',
      clear: '清空',
      open: '查看',
      desktopOn: '桌面通知已开启',
    },
  },
}
