// The voice channel's calls: Switchboard's own user agent answers its numbers, each call runs the
// voice channel's entry flow as a conversation, prompts are spoken and keys collected in Node.
export { createVoiceCalls, type VoiceCalls, type VoiceCallsOptions, type SoftphoneConfig } from './voice-calls.js'
export { callRoutes } from './call-routes.js'
export { AFTER_CALL_WORK_JOB } from './agent-calls.js'
export { agentSipUser, CONVERSATION_HEADER, CALLER_HEADER } from './agent-leg.js'
export type { CallView } from './transfer.js'
export { espeakSpeech, espeakAvailable, createPromptCache, type SpeechProvider, type PromptCache } from './prompts.js'
export { openMediaSockets } from './media.js'
export { holdMusic, type HoldMusicOptions } from './hold-audio.js'
export { createQueueExperiences, QueueExperience, type QueueExperiencesOptions } from './queue-experience.js'
export type { CallFacts, CallPhase, CallEnd, PlayedPrompt } from './call-state.js'
