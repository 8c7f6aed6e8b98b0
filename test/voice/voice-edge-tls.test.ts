import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { connect as connectTcp } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect as connectTls } from 'node:tls'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { loadConfig } from '../../core/src/config/index.js'
import { findProgram } from '../../core/src/voice/edge/programs.js'
import { deriveVoiceSecret, startVoiceEdge, type VoiceEdge } from '../../core/src/voice/index.js'
import { freeSipPort, rtpPortRange } from '../support/sip-ports.js'

const installed = Boolean(findProgram('kamailio') && findProgram('rtpengine') && findProgram('openssl'))
if (!installed) console.warn('test/voice/voice-edge-tls.test.ts skipped: kamailio, rtpengine or openssl not installed')

/** An OPTIONS request to the edge itself, as a phone or browser sends to keep its connection alive. */
function options(transport: 'TLS' | 'WSS', port: number): string {
  return [
    `OPTIONS sip:127.0.0.1:${port};transport=${transport.toLowerCase()} SIP/2.0`,
    `Via: SIP/2.0/${transport} client.invalid;branch=z9hG4bK${randomBytes(6).toString('hex')}`,
    `From: <sip:probe@127.0.0.1>;tag=${randomBytes(4).toString('hex')}`,
    `To: <sip:127.0.0.1:${port}>`,
    `Call-ID: sbtest-${randomBytes(6).toString('hex')}`,
    'CSeq: 1 OPTIONS',
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n')
}

describe.skipIf(!installed)('voice edge over TLS and secure WebSocket', () => {
  let dir: string
  let cert: string
  let key: string
  const used = new Set<number>()
  let edge: VoiceEdge
  const ports = { sip: 0, tls: 0, ws: 0, wss: 0 }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-voice-tls-'))
    cert = join(dir, 'cert.pem')
    key = join(dir, 'key.pem')
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    )
    for (const name of ['sip', 'tls', 'ws', 'wss'] as const) ports[name] = await freeSipPort(used)
    const config = loadConfig({
      env: {
        SWITCHBOARD_VOICE: 'on',
        SWITCHBOARD_VOICE_SIP_PORT: String(ports.sip),
        SWITCHBOARD_VOICE_TLS_PORT: String(ports.tls),
        SWITCHBOARD_VOICE_WS_PORT: String(ports.ws),
        SWITCHBOARD_VOICE_WSS_PORT: String(ports.wss),
        SWITCHBOARD_VOICE_TLS_CERT: cert,
        SWITCHBOARD_VOICE_TLS_KEY: key,
        SWITCHBOARD_VOICE_RTPENGINE_PORT: String(await freeSipPort(used)),
        SWITCHBOARD_VOICE_RTP_PORTS: rtpPortRange(),
      },
      cwd: dir,
    })
    edge = await startVoiceEdge({
      settings: config.voice,
      dataDir: config.data.dir,
      secret: deriveVoiceSecret('a-cookie-secret-of-at-least-32-characters!'),
      logger: pino({ level: 'silent' }),
    })
  })

  afterAll(async () => {
    await edge?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('serves SIP over TLS with the configured certificate', async () => {
    const socket = connectTls({ host: '127.0.0.1', port: ports.tls, ca: readFileSync(cert) })
    try {
      await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject))
      expect(socket.getPeerCertificate().subject.CN).toBe('127.0.0.1')
      const answer = new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString())))
      socket.write(options('TLS', ports.tls))
      expect(await answer).toMatch(/^SIP\/2\.0 200 OK[\s\S]*Server: Switchboard/)
    } finally {
      socket.destroy()
    }
  })

  it('serves SIP over secure WebSocket (what browsers use)', async () => {
    expect(edge.endpoints.secureWebSocket).toBe(`wss://127.0.0.1:${ports.wss}`)
    const ws = new WebSocket(edge.endpoints.secureWebSocket!, 'sip', { ca: readFileSync(cert) })
    try {
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
      expect(ws.protocol).toBe('sip')
      const answer = new Promise<string>((resolve) => ws.once('message', (d: Buffer) => resolve(d.toString())))
      ws.send(options('WSS', ports.wss))
      expect(await answer).toMatch(/^SIP\/2\.0 200 OK/)
    } finally {
      ws.terminate()
    }
  })

  it('accepts WebSocket handshakes only on the WebSocket ports', async () => {
    const handshake = (port: number) =>
      new Promise<string>((resolve, reject) => {
        const socket = connectTcp(port, '127.0.0.1', () =>
          socket.write(
            `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: sip\r\n\r\n`,
          ),
        )
        socket.once('data', (d: Buffer) => {
          resolve(d.toString().split('\r\n')[0]!)
          socket.destroy()
        })
        socket.once('error', reject)
      })
    expect(await handshake(ports.ws)).toBe('HTTP/1.1 101 Switching Protocols')
    expect(await handshake(ports.sip)).toMatch(/^HTTP\/1\.1 404/)
  })
})
