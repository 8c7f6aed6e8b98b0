import { defineHandlers } from '@switchboard/plugin-sdk/runtime'
import type definition from '../plugin.definition.js'
import { healthCheck } from './health-check.js'
import { loadProfile } from './load-profile.js'
import { lookupContact } from './lookup-contact.js'
import { recordInteraction } from './record-interaction.js'
import { onConversationResolved } from './resolved-event.js'

/** crm-contacts over one signed webhook, the CRM profile panel, and interactions on resolve. */
export default defineHandlers<typeof definition>({
  actions: { lookupContact, loadProfile, recordInteraction },
  events: { 'conversation.resolved': onConversationResolved },
  healthCheck,
})
