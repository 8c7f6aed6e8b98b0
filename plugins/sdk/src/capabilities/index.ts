import { channel } from './channel.js'
import { crmContacts } from './crm-contacts.js'
import { erpOrders } from './erp-orders.js'
import { llm } from './llm.js'
import { logisticsTracking } from './logistics-tracking.js'
import { speech } from './speech.js'

export { channel, inboundMessage, inboundMessageProblem, languageTag, outboundMessage } from './channel.js'
export type { InboundMessage, OutboundMessage } from './channel.js'
export { crmContact, crmContacts } from './crm-contacts.js'
export type { CrmContact } from './crm-contacts.js'
export { erpOrders, order, orderStates } from './erp-orders.js'
export type { Order } from './erp-orders.js'
export { chatMessage, llm } from './llm.js'
export type { ChatMessage } from './llm.js'
export { logisticsTracking, parcelStates, tracking, trackingEvent } from './logistics-tracking.js'
export type { Tracking } from './logistics-tracking.js'
export { speech } from './speech.js'

/**
 * Every capability interface by name. A plugin that `implements` one provides an action per
 * method, with the interface's input and output; flows call it as `<alias>.<method>` (e.g.
 * `erp.getOrder`) and the host routes the call to the enabled plugin that implements it.
 *
 * @example
 * ```ts
 * capabilities['erp-orders'].methods.getOrder.input.parse({ orderNumber: '12345' })
 * ```
 */
export const capabilities = {
  channel,
  'crm-contacts': crmContacts,
  'erp-orders': erpOrders,
  llm,
  'logistics-tracking': logisticsTracking,
  speech,
} as const
export type CapabilityName = keyof typeof capabilities
export const capabilityNames = Object.keys(capabilities) as CapabilityName[]
