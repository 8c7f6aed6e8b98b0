/** One stretch of recognised speech, in milliseconds from the start of the audio. */
export interface SpeechSegment {
  startMs: number
  endMs: number
  text: string
}

/** A speech-to-text provider: a WAV in, timed segments out. */
export interface SpeechToText {
  transcribe(audio: { wav: Buffer; language?: string }): Promise<{ segments: SpeechSegment[] }>
}

/** A call's transcript as stored on its recording: both channels merged by time. */
export interface CallTranscriptSegment extends SpeechSegment {
  /** caller: the customer's channel; agent: the other channel (the agent, and Switchboard's prompts) */
  speaker: 'caller' | 'agent'
}
