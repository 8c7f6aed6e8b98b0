import { existsSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findProgram } from '../../core/src/voice/edge/programs.js'
import { createNgClient, probeSipOptions } from '../../core/src/voice/index.js'
import { cliEnv, freePort, runCli, startServer, type RunningServer } from '../support/cli-process.js'
import { freeSipPort, rtpPortRange } from '../support/sip-ports.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'

const installed = Boolean(findProgram('kamailio') && findProgram('rtpengine'))
if (!installed) console.warn('test/voice/voice-cli.test.ts skipped: kamailio or rtpengine not installed')

describe.skipIf(!installed)('switchboard start and doctor with voice on', () => {
  let db: TestDatabase
  let env: Record<string, string>
  let server: RunningServer | undefined
  let blocker: Server | undefined
  const used = new Set<number>()
  const ports = { sip: 0, ws: 0, ng: 0 }

  beforeAll(async () => {
    db = await createTestDatabase()
    for (const name of ['sip', 'ws', 'ng'] as const) ports[name] = await freeSipPort(used)
    env = cliEnv(db, await freePort(), {
      LOG_LEVEL: 'warn',
      SWITCHBOARD_VOICE: 'on',
      SWITCHBOARD_VOICE_SIP_PORT: String(ports.sip),
      SWITCHBOARD_VOICE_WS_PORT: String(ports.ws),
      SWITCHBOARD_VOICE_RTPENGINE_PORT: String(ports.ng),
      SWITCHBOARD_VOICE_RTP_PORTS: rtpPortRange(),
    })
  })

  afterAll(async () => {
    blocker?.close()
    if (server?.proc.exitCode === null) await Promise.race([server.stop(), new Promise((r) => setTimeout(r, 15_000))])
    if (server?.proc.exitCode === null) await server.kill9()
    // a server that had to be killed leaves its daemons: end them by their pid files
    for (const file of ['kamailio.pid', 'rtpengine.pid']) {
      const path = join(db.dataDir, 'voice', 'run', file)
      if (existsSync(path))
        try {
          process.kill(-Number(readFileSync(path, 'utf8')), 'SIGKILL')
        } catch {
          // not running
        }
    }
    await db.drop()
  })

  const doctorLines = (extra: Record<string, string> = {}) => {
    const run = runCli(['doctor'], { ...env, ...extra })
    return { status: run.status, lines: run.stdout.split('\n').filter((l) => l.includes('voice')), stdout: run.stdout }
  }

  it('doctor checks the programs, the generated configuration and the ports before the first start', () => {
    const { lines, stdout } = doctorLines()
    expect(lines, stdout).toEqual([
      expect.stringMatching(/^✔ voice: kamailio: \S+kamailio \(version 5\.\d+\.\d+\)$/),
      expect.stringMatching(/^✔ voice: rtpengine: \S+rtpengine \(version \d+\.\d+/),
      '✔ voice: kamailio configuration: generated kamailio.cfg passes `kamailio -c`',
      '✔ voice: kamailio service: not running (Switchboard starts it)',
      '✔ voice: rtpengine service: not running (Switchboard starts it)',
      expect.stringMatching(
        new RegExp(`^✔ voice: ports: udp ${ports.sip}, tcp ${ports.sip}, ws ${ports.ws}; media \\d+-\\d+$`),
      ),
    ])
  })

  it('start runs Kamailio and rtpengine, doctor sees them serving, and SIGTERM stops them', async () => {
    server = await startServer(env)
    expect(await probeSipOptions({ host: '127.0.0.1', port: ports.sip })).toMatchObject({
      status: 200,
      server: 'Switchboard',
    })
    const ng = createNgClient({ port: ports.ng })
    try {
      expect(await ng.ping()).toBe(true)
      // (the HTTP port check fails while the server runs: only the voice checks matter here)
      const { lines, stdout } = doctorLines()
      expect(
        lines.filter((l) => l.startsWith('✖')),
        stdout,
      ).toEqual([])
      expect(lines).toContain(`✔ voice: kamailio service: running: answers SIP OPTIONS on 127.0.0.1:${ports.sip}`)
      expect(lines).toContain(`✔ voice: rtpengine service: running: answers ping on 127.0.0.1:${ports.ng}`)
      expect(lines.some((l) => l.startsWith('✔ voice: ports:'))).toBe(true)

      expect(await server.stop()).toBe(0)
      expect(await probeSipOptions({ host: '127.0.0.1', port: ports.sip, timeoutMs: 500 })).toBeUndefined()
      expect(await ng.ping(500)).toBe(false)
    } finally {
      ng.close()
    }
  }, 60_000)

  it('doctor says what is wrong: a program missing, a port taken', async () => {
    const taken = await freeSipPort(used)
    blocker = createServer()
    await new Promise<void>((resolve, reject) => blocker!.once('error', reject).listen(taken, '127.0.0.1', resolve))
    const { status, stdout } = doctorLines({
      SWITCHBOARD_VOICE_RTPENGINE: '/nonexistent/rtpengine',
      SWITCHBOARD_VOICE_WS_PORT: String(taken),
    })
    expect(status).toBe(1)
    expect(stdout).toContain('✖ voice: rtpengine: not found on PATH or in /usr/sbin, /usr/bin')
    expect(stdout).toContain(
      'fix: apt-get install kamailio kamailio-websocket-modules kamailio-tls-modules rtpengine-daemon',
    )
    expect(stdout).toContain(`✖ voice: ports: tcp 127.0.0.1:${taken} (SIP over WebSocket): EADDRINUSE`)
  })
})
