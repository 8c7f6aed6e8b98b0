/** Why the microphone cannot be used, as a key of softphone.mic.* in the messages. */
export type MicrophoneProblem = 'denied' | 'missing' | 'busy' | 'insecure' | 'other'

export function microphoneProblem(error: unknown): MicrophoneProblem {
  const name = (error as { name?: string } | null)?.name ?? ''
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return 'denied'
  if (name === 'NotFoundError' || name === 'DevicesNotFoundError' || name === 'OverconstrainedError') return 'missing'
  if (name === 'NotReadableError' || name === 'TrackStartError' || name === 'AbortError') return 'busy'
  return 'other'
}

/** getUserMedia exists only on https:// pages (and http://localhost). */
export function microphoneAvailable(): boolean {
  return typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia && window.isSecureContext
}

/**
 * Asks for the microphone before a call is answered: a refusal then leaves the call ringing (the
 * agent can allow it and answer again) instead of failing the answer, which would end the call.
 */
export async function probeMicrophone(): Promise<MicrophoneProblem | null> {
  if (!microphoneAvailable()) return 'insecure'
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false })
    stream.getTracks().forEach((track) => track.stop())
    return null
  } catch (error) {
    return microphoneProblem(error)
  }
}
