// The agent's softphone (sip.js over the voice edge's WebSocket, WebRTC audio): registered in the
// top bar's slot and its words merged into the console's messages. Imported once by main.ts.
import { i18n } from '../i18n'
import { registerSoftphone } from '../layout/softphone-slot'
import Softphone from './Softphone.vue'
import { en, zhCN } from './messages'

i18n.global.mergeLocaleMessage('en', { softphone: en })
i18n.global.mergeLocaleMessage('zh-CN', { softphone: zhCN })
registerSoftphone(Softphone)

export { useSoftphoneStore } from './softphone-store'
export { default as SoftphoneCallButton } from './SoftphoneCallButton.vue'
