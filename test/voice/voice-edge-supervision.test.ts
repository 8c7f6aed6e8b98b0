import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig, type Config } from '../../core/src/config/index.js'
import {
  kamailioArgs,
  kamailioPidFile,
  rtpengineArgs,
  rtpenginePidFile,
} from '../../core/src/voice/edge/daemon-args.js'
import { isAlive } from '../../core/src/voice/edge/process-group.js'
import { findProgram } from '../../core/src/voice/edge/programs.js'
import { busyPorts } from '../../core/src/voice/edge/port-probe.js'
import {
  createNgClient,
  deriveVoiceSecret,
  planVoiceEdge,
  probeSipOptions,
  renderKamailioConfig,
  startVoiceEdge,
  type VoiceEdge,
} from '../../core/src/voice/index.js'
import { freeSipPort, rtpPortRange } from '../support/sip-ports.js'

const kamailio = findProgram('kamailio')
const rtpengine = findProgram('rtpengine')
if (!kamailio || !rtpengine)
  console.warn('test/voice/voice-edge-supervision.test.ts skipped: kamailio or rtpengine not installed')

const secret = deriveVoiceSecret('a-cookie-secret-of-at-least-32-characters!')
const logger = pino({ level: 'silent' })

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(100)
  }
}

describe.skipIf(!kamailio || !rtpengine)('voice edge supervision', () => {
  let dir: string
  const used = new Set<number>()
  const started: VoiceEdge[] = []
  const strays: number[] = []
  let config: Config

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-voice-sup-'))
    config = loadConfig({
      env: {
        SWITCHBOARD_VOICE: 'on',
        SWITCHBOARD_VOICE_SIP_PORT: String(await freeSipPort(used)),
        SWITCHBOARD_VOICE_WS_PORT: String(await freeSipPort(used)),
        SWITCHBOARD_VOICE_RTPENGINE_PORT: String(await freeSipPort(used)),
        SWITCHBOARD_VOICE_RTP_PORTS: rtpPortRange(),
      },
      cwd: dir,
    })
  })

  afterAll(async () => {
    for (const edge of started) await edge.stop().catch(() => undefined)
    for (const pid of strays)
      try {
        process.kill(-pid, 'SIGKILL')
      } catch {
        // gone, as it should be
      }
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  const start = async () => {
    const edge = await startVoiceEdge({ settings: config.voice, dataDir: config.data.dir, secret, logger })
    started.push(edge)
    return edge
  }

  it('stops daemons a killed Switchboard left running, then starts its own', async () => {
    // what a Switchboard killed with SIGKILL leaves: both daemons, their pid files, the ports taken
    const plan = planVoiceEdge(config.voice, config.data.dir)
    mkdirSync(plan.runDir, { recursive: true })
    writeFileSync(plan.kamailioConfigFile, renderKamailioConfig(plan, secret))
    for (const [program, args] of [
      [rtpengine!, rtpengineArgs(plan)],
      [kamailio!, kamailioArgs(plan)],
    ] as const) {
      const stray = spawn(program, args, { detached: true, stdio: 'ignore' })
      strays.push(stray.pid!)
      stray.unref()
    }
    // (asked, not probed by binding: a probe holding a port for a moment could make them fail)
    const ng = createNgClient({ port: plan.rtpenginePort })
    const serving = async () =>
      (await ng.ping(500)) && (await probeSipOptions({ host: '127.0.0.1', port: config.voice.sipPort }))?.status === 200
    await until('the leftovers to serve', serving, 30_000).finally(() => ng.close())
    await until('the pid files', () => existsSync(kamailioPidFile(plan)) && existsSync(rtpenginePidFile(plan)))
    const leftover = Number(readFileSync(kamailioPidFile(plan), 'utf8'))

    const edge = await start()
    expect(strays.every((pid) => !isAlive(pid))).toBe(true)
    expect(isAlive(leftover)).toBe(false)
    expect(edge.status().kamailio.pid).not.toBe(leftover)
    expect(await edge.ng.ping()).toBe(true)
    await edge.stop()
    started.pop()
    expect(await busyPorts(plan)).toEqual([])
  })

  it('restarts rtpengine and Kamailio when they die, and leaves nothing running after stop', async () => {
    const edge = await start()
    const firstRtpengine = edge.status().rtpengine.pid!
    process.kill(firstRtpengine, 'SIGKILL')
    await until(
      'rtpengine to be back',
      () => edge.status().rtpengine.state === 'running' && edge.status().rtpengine.restarts === 1,
    )
    expect(edge.status().rtpengine.lastExit).toBe('signal SIGKILL')
    expect(edge.status().rtpengine.pid).not.toBe(firstRtpengine)
    expect(await edge.ng.ping()).toBe(true)

    const firstKamailio = edge.status().kamailio.pid!
    process.kill(firstKamailio, 'SIGKILL')
    await until(
      'Kamailio to be back',
      () => edge.status().kamailio.state === 'running' && edge.status().kamailio.restarts === 1,
    )
    const answer = await probeSipOptions({ host: '127.0.0.1', port: config.voice.sipPort })
    expect(answer).toMatchObject({ status: 200, server: 'Switchboard' })

    const pids = [edge.status().kamailio.pid!, edge.status().rtpengine.pid!]
    await edge.stop()
    started.pop()
    expect(pids.every((pid) => !isAlive(pid))).toBe(true)
    expect(await busyPorts(edge.plan)).toEqual([])
    expect(edge.status().kamailio.state).toBe('stopped')
  })
})
