/** Identity kinds of channel plugins → the channel word the console shows (channels.* in common.ts). */
export const CHANNEL_KEY: Record<string, string> = {
  'web-visitor': 'webchat',
  'wechat-openid': 'wechat',
  phone: 'voice',
}
