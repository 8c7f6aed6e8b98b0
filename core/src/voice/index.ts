// Voice: phone calls through Kamailio (SIP edge) and rtpengine (media), both started by
// Switchboard from its voice settings. See docs/voice-setup.md.
export { startVoiceEdge, type VoiceEdge, type VoiceEdgeStatus, type StartVoiceEdgeOptions } from './edge/voice-edge.js'
export { planVoiceEdge, webSocketUrl, type EdgePlan, type VoiceSettings } from './edge/edge-plan.js'
export { renderKamailioConfig, PLAIN_RTP_CONTACT_PARAM, RTPENGINE_FLAGS } from './edge/kamailio-config.js'
export { createSipCredentials, deriveVoiceSecret, type SipCredentials } from './edge/sip-credentials.js'
export { createNgClient, type NgClient, type NgCommand, type NgDictionary } from './edge/ng-client.js'
export { probeSipOptions, type SipOptionsAnswer } from './edge/sip-options.js'
export { checkVoiceEdge, type VoiceCheck } from './edge/edge-checks.js'
export type { DaemonStatus } from './edge/daemon.js'
export {
  createVoiceCalls,
  callRoutes,
  agentSipUser,
  AFTER_CALL_WORK_JOB,
  type SoftphoneConfig,
  type CallView,
  espeakSpeech,
  espeakAvailable,
  createPromptCache,
  openMediaSockets,
  holdMusic,
  type HoldMusicOptions,
  createQueueExperiences,
  QueueExperience,
  type QueueExperiencesOptions,
  type VoiceCalls,
  type VoiceCallsOptions,
  type SpeechProvider,
  type PromptCache,
  type CallFacts,
  type CallPhase,
  type CallEnd,
  type PlayedPrompt,
} from './calls/index.js'
