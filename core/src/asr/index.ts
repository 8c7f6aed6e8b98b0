// Speech to text: the provider interface, the OpenAI-compatible client, and call transcripts for QA.
export type { CallTranscriptSegment, SpeechSegment, SpeechToText } from './speech-to-text.js'
export { createOpenAiTranscription, type OpenAiTranscriptionSettings } from './openai-transcription.js'
export {
  createCallTranscription,
  mergeChannels,
  TRANSCRIBE_CALL_JOB,
  transcribeJobKey,
  type CallTranscription,
  type ReadRecording,
} from './call-transcription.js'
export { mulawToPcm16, mulawToWav, parsePcm16Wav, pcm16Wav } from './wav.js'
