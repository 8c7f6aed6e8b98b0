import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { ApiError, errorMessage } from '../api/http'
import { router } from '../app/router'
import { usePresenceStore } from '../stores/presence'
import { RingTone } from './ring-tone'
import { microphoneAvailable, microphoneProblem, probeMicrophone, type MicrophoneProblem } from './microphone'
// sip.js is loaded only when voice is on (import() below): the console's first load stays small
import type { IncomingCall, Registration, SipPhone } from './sip-phone'
import { softphoneApi, type OutboundCall, type TransferTarget } from './softphone-api'

export type PhoneStatus = 'off' | 'disabled' | Registration

export type CallStage = 'ringing' | 'answering' | 'active'

export interface ActiveCall {
  id: string
  conversationId: string | null
  caller: string
  stage: CallStage
  /** this agent asked for it (dial pad, call back): answered without ringing */
  outbound: boolean
  /** when it was answered (Date.now()), for the timer */
  answeredAt: number | null
  held: boolean
  muted: boolean
  /** an attended transfer: talking to this colleague while the caller holds */
  consult: { agentId: string; name: string } | null
}

/** An outbound call asked for in the last 60 s: its INVITE is answered at once. */
const OUTBOUND_WINDOW_MS = 60_000
/** Renew the credentials this long before they expire. */
const RENEW_BEFORE_MS = 5 * 60_000

/**
 * The softphone's state and actions: registration with the edge (renewed before the credentials
 * expire), the one call at a time (ringing → answered → ended), the core's call controls (hold,
 * keypad, transfer, consult, hang-up, dial) and the after-call work that follows a call.
 */
export const useSoftphoneStore = defineStore('softphone', () => {
  const status = ref<PhoneStatus>('off')
  const statusDetail = ref<string | null>(null)
  const call = ref<ActiveCall | null>(null)
  const mic = ref<MicrophoneProblem | null>(null)
  const busy = ref(false)
  const error = ref<string | null>(null)
  /** the conversation of the call that just ended, for the after-call-work line */
  const lastConversationId = ref<string | null>(null)
  /** the length of after-call work, when the core tells it (the pill then counts down, else up) */
  const afterCallWorkSeconds = ref<number | null>(null)

  const phone = shallowRef<SipPhone | null>(null)
  const ring = new RingTone()
  let current: IncomingCall | null = null
  let renewTimer: ReturnType<typeof setTimeout> | null = null
  let statePoll: ReturnType<typeof setInterval> | null = null
  let presencePoll: ReturnType<typeof setInterval> | null = null
  let pendingOutbound: { conversationId?: string; at: number } | null = null
  let notification: Notification | null = null

  const registered = computed(() => status.value === 'registered')

  async function start(audio: HTMLAudioElement): Promise<void> {
    if (phone.value) return
    let config
    try {
      config = await softphoneApi.config()
    } catch (e) {
      // no voice module (404) or no right to it: the slot says the phone is not connected
      status.value = e instanceof ApiError && (e.status === 404 || e.status === 403) ? 'disabled' : 'failed'
      statusDetail.value = errorMessage(e)
      return
    }
    if (!config.enabled) {
      status.value = 'disabled'
      return
    }
    afterCallWorkSeconds.value = config.afterCallWorkSeconds ?? null
    if (!microphoneAvailable()) mic.value = 'insecure'
    const { SipPhone } = await import('./sip-phone')
    const sip = new SipPhone(
      {
        registration: (state, reason) => {
          status.value = state
          statusDetail.value = reason ?? null
        },
        incoming,
        established,
        ended,
      },
      audio,
    )
    phone.value = sip
    scheduleRenewal(config.expiresAt)
    try {
      await sip.start(config)
    } catch (e) {
      status.value = 'failed'
      statusDetail.value = errorMessage(e)
    }
  }

  async function stop(): Promise<void> {
    ring.dispose()
    if (renewTimer) clearTimeout(renewTimer)
    stopPolling()
    if (presencePoll) clearInterval(presencePoll)
    presencePoll = null
    await phone.value?.stop()
    phone.value = null
    current = null
    call.value = null
    status.value = 'off'
  }

  function scheduleRenewal(expiresAt: string): void {
    if (renewTimer) clearTimeout(renewTimer)
    const lifetime = new Date(expiresAt).getTime() - Date.now()
    const delay = Math.max(15_000, Math.min(lifetime - RENEW_BEFORE_MS, lifetime * 0.8))
    renewTimer = setTimeout(() => void renew(), Math.min(delay, 2_000_000_000))
  }

  async function renew(): Promise<void> {
    try {
      const config = await softphoneApi.config()
      if (!config.enabled) return void (await stop())
      phone.value?.renew(config)
      scheduleRenewal(config.expiresAt)
    } catch {
      // offline for now: try again in a minute
      renewTimer = setTimeout(() => void renew(), 60_000)
    }
  }

  async function reconnect(): Promise<void> {
    if (!phone.value) return
    try {
      await renew()
      await phone.value.reconnect()
    } catch (e) {
      statusDetail.value = errorMessage(e)
    }
  }

  function incoming(sip: IncomingCall): void {
    current = sip
    error.value = null
    const expected =
      pendingOutbound &&
      Date.now() - pendingOutbound.at < OUTBOUND_WINDOW_MS &&
      (!pendingOutbound.conversationId || pendingOutbound.conversationId === sip.conversationId)
    call.value = {
      id: sip.id,
      conversationId: sip.conversationId,
      caller: sip.caller,
      stage: 'ringing',
      outbound: !!expected,
      answeredAt: null,
      held: false,
      muted: false,
      consult: null,
    }
    if (expected) {
      pendingOutbound = null
      void answer()
    } else {
      ring.start()
      notify(sip)
    }
    // screen pop: the conversation (with the customer panel) opens in the inbox
    if (sip.conversationId && router.currentRoute.value.path !== `/inbox/${sip.conversationId}`)
      void router.push(`/inbox/${sip.conversationId}`)
  }

  function notify(sip: IncomingCall): void {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted' || !document.hidden) return
    notification = new Notification('☎', { body: sip.caller, tag: 'sb-softphone' })
    notification.onclick = () => window.focus()
  }

  function established(sip: IncomingCall): void {
    if (!call.value || call.value.id !== sip.id) return
    call.value = { ...call.value, stage: 'active', answeredAt: Date.now() }
    startPolling()
  }

  function ended(sip: IncomingCall): void {
    if (current?.id === sip.id) current = null
    ring.stop()
    notification?.close()
    stopPolling()
    const was = call.value
    if (!was || was.id !== sip.id) return
    call.value = null
    if (was.stage === 'active' || was.answeredAt) {
      lastConversationId.value = was.conversationId
      void followAfterCallWork()
    }
  }

  /**
   * After a call the core sets after-call work: read the presence until it has started (up to a
   * minute) and then until it is over, so the pill counts down and goes when it ends.
   */
  async function followAfterCallWork(): Promise<void> {
    const presence = usePresenceStore()
    if (presencePoll) clearInterval(presencePoll)
    let rounds = 0
    let seen = false
    const check = async () => {
      rounds++
      await presence.load().catch(() => undefined)
      const inAcw = presence.state?.presence === 'after-call-work'
      seen ||= inAcw
      if ((seen && !inAcw) || (!seen && rounds > 30)) {
        if (presencePoll) clearInterval(presencePoll)
        presencePoll = null
      }
    }
    await check()
    presencePoll = setInterval(() => void check(), 2000)
  }

  function startPolling(): void {
    stopPolling()
    void refreshState()
    statePoll = setInterval(() => void refreshState(), 4000)
  }

  function stopPolling(): void {
    if (statePoll) clearInterval(statePoll)
    statePoll = null
  }

  /** Hold and consult as the core sees them (another tab or a supervisor may have changed them). */
  async function refreshState(): Promise<void> {
    const id = call.value?.conversationId
    if (!id) return
    try {
      const state = await softphoneApi.call(id)
      if (!call.value || call.value.conversationId !== id) return
      const next = { ...call.value }
      if (typeof state.held === 'boolean') next.held = state.held
      if (state.consult === null) next.consult = null
      call.value = next
    } catch {
      // the call may just have ended; the SIP side tells
    }
  }

  async function act(work: () => Promise<unknown>): Promise<boolean> {
    busy.value = true
    error.value = null
    try {
      await work()
      return true
    } catch (e) {
      error.value = errorMessage(e)
      return false
    } finally {
      busy.value = false
    }
  }

  async function answer(): Promise<void> {
    const sip = current
    if (!sip || !call.value || !phone.value) return
    call.value = { ...call.value, stage: 'answering' }
    const problem = await probeMicrophone()
    mic.value = problem
    if (problem) {
      // it keeps ringing: the agent can allow the microphone and answer again, or decline
      if (call.value?.id === sip.id) call.value = { ...call.value, stage: 'ringing' }
      return
    }
    ring.stop()
    notification?.close()
    try {
      await phone.value.answer(sip)
    } catch (e) {
      mic.value = microphoneProblem(e)
      error.value = errorMessage(e)
    }
  }

  function decline(): void {
    if (!current || !phone.value) return
    ring.stop()
    phone.value.decline(current)
  }

  async function hangup(): Promise<void> {
    if (!current || !phone.value) return
    const id = call.value?.conversationId
    const sip = current
    // the core ends the call on both legs; if it cannot be reached, BYE from here
    const ok = id ? await act(() => softphoneApi.hangup(id)) : false
    if (!ok) {
      error.value = null
      phone.value.end(sip)
    } else {
      // the core's BYE arrives in a moment; end our side anyway if it does not
      setTimeout(() => {
        if (current?.id === sip.id) phone.value?.end(sip)
      }, 3000)
    }
  }

  function toggleMute(): void {
    if (!current || !call.value || !phone.value) return
    const muted = !call.value.muted
    phone.value.mute(current, muted)
    call.value = { ...call.value, muted }
  }

  async function toggleHold(): Promise<void> {
    const c = call.value
    if (!c?.conversationId) return
    const hold = !c.held
    if (await act(() => softphoneApi.hold(c.conversationId!, hold)))
      if (call.value) call.value = { ...call.value, held: hold }
  }

  async function sendDigits(digits: string): Promise<void> {
    const c = call.value
    if (!c?.conversationId) return
    await act(() => softphoneApi.dtmf(c.conversationId!, digits))
  }

  async function transfer(target: TransferTarget): Promise<boolean> {
    const id = call.value?.conversationId
    if (!id) return false
    return act(() => softphoneApi.transfer(id, target))
  }

  async function consult(agentId: string, name: string): Promise<boolean> {
    const id = call.value?.conversationId
    if (!id) return false
    const ok = await act(() => softphoneApi.consult(id, agentId))
    if (ok && call.value) call.value = { ...call.value, consult: { agentId, name }, held: true }
    return ok
  }

  async function completeConsult(): Promise<void> {
    const id = call.value?.conversationId
    if (!id) return
    if ((await act(() => softphoneApi.completeConsult(id))) && call.value) call.value = { ...call.value, consult: null }
  }

  async function cancelConsult(): Promise<void> {
    const id = call.value?.conversationId
    if (!id) return
    if ((await act(() => softphoneApi.cancelConsult(id))) && call.value)
      call.value = { ...call.value, consult: null, held: false }
  }

  /** An outbound call: the core rings this phone first (answered at once), then dials the customer. */
  async function dial(request: OutboundCall): Promise<boolean> {
    if (!registered.value) {
      error.value = null
      return false
    }
    pendingOutbound = { conversationId: request.conversationId, at: Date.now() }
    const ok = await act(async () => {
      const placed = await softphoneApi.dial(request)
      if (pendingOutbound && placed?.conversationId) pendingOutbound.conversationId = placed.conversationId
    })
    if (!ok) pendingOutbound = null
    return ok
  }

  return {
    status,
    statusDetail,
    call,
    mic,
    busy,
    error,
    registered,
    lastConversationId,
    afterCallWorkSeconds,
    start,
    stop,
    reconnect,
    answer,
    decline,
    hangup,
    toggleMute,
    toggleHold,
    sendDigits,
    transfer,
    consult,
    completeConsult,
    cancelConsult,
    dial,
  }
})
