import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { ErrorCode, userError } from '../../errors/index.js'
import type { Logger } from '../../logger.js'
import { kamailioArgs, kamailioPidFile, rtpengineArgs, rtpenginePidFile } from './daemon-args.js'
import { startDaemon, type Daemon, type DaemonStatus } from './daemon.js'
import { planVoiceEdge, webSocketUrl, type EdgePlan, type VoiceSettings } from './edge-plan.js'
import { renderKamailioConfig, renderTlsConfig } from './kamailio-config.js'
import { createNgClient, type NgClient } from './ng-client.js'
import { busyPorts } from './port-probe.js'
import { stopLeftover } from './process-group.js'
import { findVoicePrograms, VOICE_PACKAGES } from './programs.js'
import { createSipCredentials, type SipCredentials } from './sip-credentials.js'
import { probeSipOptions } from './sip-options.js'

export interface StartVoiceEdgeOptions {
  settings: VoiceSettings
  dataDir: string
  /** the registration secret: deriveVoiceSecret(cookie secret) */
  secret: string
  logger: Logger
  /** how long each daemon has to become ready (default 15 s) */
  readyTimeoutMs?: number
}

export interface VoiceEdgeStatus {
  kamailio: DaemonStatus
  rtpengine: DaemonStatus
}

/** Kamailio and rtpengine, running and configured from the settings. */
export interface VoiceEdge {
  plan: EdgePlan
  endpoints: {
    /** where trunks and phones send SIP: udp/tcp on this address and port */
    sip: { address: string; port: number }
    /** ws:// URL for Switchboard's own user agent (undefined when voice.wsPort is 0) */
    webSocket: string | undefined
    /** wss:// URL for browsers (undefined without TLS) */
    secureWebSocket: string | undefined
  }
  /** rtpengine's control protocol */
  ng: NgClient
  /** time-limited credentials for a SIP user, valid until expiresAt (a real wall-clock time: Kamailio checks it) */
  credentials(user: string, expiresAt: Date): SipCredentials
  status(): VoiceEdgeStatus
  stop(): Promise<void>
}

/**
 * Starts the voice edge: writes kamailio.cfg (and tls.cfg) under <data dir>/voice, stops
 * daemons a killed Switchboard left behind, starts rtpengine and waits for its `pong`, then
 * Kamailio and waits until it answers SIP OPTIONS. Problems the admin must fix (a program
 * missing, a port taken, a daemon refusing its configuration) throw SB_ERR_CONFIG_INVALID.
 */
export async function startVoiceEdge(options: StartVoiceEdgeOptions): Promise<VoiceEdge> {
  const plan = planVoiceEdge(options.settings, options.dataDir)
  const programs = findVoicePrograms(options.settings)
  const missing = (['kamailio', 'rtpengine'] as const).filter((name) => !programs[name])
  if (missing.length > 0) {
    throw userError(
      ErrorCode.CONFIG_INVALID,
      `Voice is on (SWITCHBOARD_VOICE) but ${missing.join(' and ')} cannot be found. Install them: apt-get install ${VOICE_PACKAGES} (or set SWITCHBOARD_VOICE_KAMAILIO / SWITCHBOARD_VOICE_RTPENGINE), or turn voice off.`,
    )
  }
  writeConfiguration(plan, options.secret)
  await stopLeftover(kamailioPidFile(plan), plan.kamailioConfigFile)
  await stopLeftover(rtpenginePidFile(plan), rtpenginePidFile(plan))
  const taken = await busyPorts(plan)
  if (taken.length > 0) {
    throw userError(
      ErrorCode.CONFIG_INVALID,
      `The voice edge cannot listen: ${taken
        .map(
          (t) =>
            `${t.transport} ${t.address}:${t.port} (${t.purpose}) ${t.error === 'EADDRINUSE' ? 'is in use' : t.error}`,
        )
        .join('; ')}. Stop what uses them or change the voice ports (docs/voice-setup.md).`,
      { details: taken },
    )
  }

  const logger = options.logger.child({ module: 'voice-edge' })
  const ng = createNgClient({ port: plan.rtpenginePort })
  const readyTimeoutMs = options.readyTimeoutMs ?? 15_000
  let rtpengine: Daemon | undefined
  let kamailio: Daemon
  try {
    rtpengine = await startDaemon({
      name: 'rtpengine',
      command: programs.rtpengine!,
      args: rtpengineArgs(plan),
      isReady: () => ng.ping(500),
      logger,
      readyTimeoutMs,
    })
    kamailio = await startDaemon({
      name: 'kamailio',
      command: programs.kamailio!,
      args: kamailioArgs(plan),
      isReady: async () => {
        const answer = await probeSipOptions({
          host: plan.listenAddress,
          port: options.settings.sipPort,
          timeoutMs: 500,
        })
        return answer?.status === 200 && answer.server === 'Switchboard'
      },
      logger,
      readyTimeoutMs,
    })
  } catch (error) {
    await rtpengine?.stop()
    ng.close()
    throw error
  }
  logger.info(
    { sip: `${plan.listenAddress}:${options.settings.sipPort}`, webSocket: webSocketUrl(plan) },
    'voice edge is running',
  )

  return {
    plan,
    endpoints: {
      sip: { address: plan.advertisedAddress, port: options.settings.sipPort },
      webSocket: webSocketUrl(plan),
      secureWebSocket: webSocketUrl(plan, true),
    },
    ng,
    credentials: (user, expiresAt) => createSipCredentials({ secret: options.secret, user, expiresAt }),
    status: () => ({ kamailio: kamailio.status(), rtpengine: rtpengine!.status() }),
    async stop() {
      await kamailio.stop()
      await rtpengine!.stop()
      ng.close()
      logger.info('voice edge stopped')
    },
  }
}

/** The generated files hold the registration secret: the directory is 0700, the files 0600. */
function writeConfiguration(plan: EdgePlan, secret: string): void {
  mkdirSync(plan.runDir, { recursive: true, mode: 0o700 })
  chmodSync(plan.dir, 0o700)
  writeFileSync(plan.kamailioConfigFile, renderKamailioConfig(plan, secret), { mode: 0o600 })
  chmodSync(plan.kamailioConfigFile, 0o600)
  if (plan.tls) writeFileSync(plan.tlsConfigFile, renderTlsConfig(plan), { mode: 0o600 })
}
