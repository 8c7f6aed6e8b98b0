/** The widget's own words in the two languages the product speaks. */
const en = {
  title: 'Chat with us',
  welcome: 'Hi! How can we help you today?',
  placeholder: 'Type a message…',
  send: 'Send',
  attach: 'Attach an image or file',
  open: 'Open chat',
  close: 'Close chat',
  typing: 'typing…',
  reconnecting: 'Reconnecting…',
  failed: 'Not sent',
  agent: 'Agent',
  bot: 'Assistant',
  tooLarge: 'Files up to 5 MB',
  offlineTitle: 'We are offline. Leave us a message and we will get back to you.',
  name: 'Your name',
  contact: 'Phone or email',
  question: 'Your question',
  submit: 'Leave a message',
  thanksForm: 'Thank you, we will contact you soon.',
  rateTitle: 'How did we do?',
  thanksRating: 'Thank you for your rating!',
}
export type Words = typeof en

const zh: Words = {
  title: '在线客服',
  welcome: '您好！请问有什么可以帮您？',
  placeholder: '输入消息…',
  send: '发送',
  attach: '发送图片或文件',
  open: '打开聊天',
  close: '关闭聊天',
  typing: '对方正在输入…',
  reconnecting: '正在重新连接…',
  failed: '未发送',
  agent: '客服',
  bot: '智能助手',
  tooLarge: '文件不能超过 5 MB',
  offlineTitle: '现在是非工作时间，请留言，我们会尽快联系您。',
  name: '您的称呼',
  contact: '手机号或邮箱',
  question: '您的问题',
  submit: '提交留言',
  thanksForm: '谢谢，我们会尽快联系您。',
  rateTitle: '请为本次服务评分',
  thanksRating: '感谢您的评价！',
}

/** zh-CN for any Chinese browser (or data-lang="zh-CN"), English otherwise. */
export function wordsFor(lang: string): { lang: 'zh-CN' | 'en'; words: Words } {
  return lang.toLowerCase().startsWith('zh') ? { lang: 'zh-CN', words: zh } : { lang: 'en', words: en }
}
