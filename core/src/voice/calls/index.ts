// The voice channel's calls: Switchboard's own user agent answers its numbers, each call runs the
// voice channel's entry flow as a conversation, prompts are spoken and keys collected in Node.
export { createVoiceCalls, type VoiceCalls, type VoiceCallsOptions } from './voice-calls.js'
export { espeakSpeech, espeakAvailable, createPromptCache, type SpeechProvider, type PromptCache } from './prompts.js'
export { openMediaSockets } from './media.js'
export type { CallFacts, CallPhase, CallEnd, PlayedPrompt } from './call-state.js'
