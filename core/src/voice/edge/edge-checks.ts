import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { planVoiceEdge, type EdgePlan, type VoiceSettings } from './edge-plan.js'
import { renderKamailioConfig, renderTlsConfig } from './kamailio-config.js'
import { createNgClient } from './ng-client.js'
import { busyPorts } from './port-probe.js'
import { checkKamailioConfig, findVoicePrograms, programVersion, VOICE_PACKAGES } from './programs.js'
import { probeSipOptions } from './sip-options.js'

export interface VoiceCheck {
  name: string
  ok: boolean
  detail: string
  fix?: string
}

const INSTALL = `apt-get install ${VOICE_PACKAGES}`

/**
 * What `switchboard doctor` checks of the voice edge: the two programs and their versions, that
 * Kamailio accepts the configuration generated from the settings (`kamailio -c`), and the
 * ports: answered by a running edge (SIP OPTIONS, rtpengine `ping`), or free for it to start.
 */
export async function checkVoiceEdge(settings: VoiceSettings, dataDir: string): Promise<VoiceCheck[]> {
  if (!settings.enabled)
    return [{ name: 'voice', ok: true, detail: 'off (SWITCHBOARD_VOICE=on runs Kamailio and rtpengine)' }]
  const checks: VoiceCheck[] = []
  const programs = findVoicePrograms(settings)
  for (const which of ['kamailio', 'rtpengine'] as const) {
    const path = programs[which]
    checks.push(
      path
        ? { name: which, ok: true, detail: `${path} (version ${(await programVersion(path, which)) ?? 'unknown'})` }
        : {
            name: which,
            ok: false,
            detail: 'not found on PATH or in /usr/sbin, /usr/bin',
            fix: `${INSTALL} (or set SWITCHBOARD_VOICE_${which.toUpperCase()} to the program)`,
          },
    )
  }
  let plan: EdgePlan
  try {
    plan = planVoiceEdge(settings, dataDir)
  } catch (error) {
    checks.push({
      name: 'voice settings',
      ok: false,
      detail: (error as Error).message,
      fix: 'correct the named voice.* settings (docs/voice-setup.md)',
    })
    return checks
  }
  if (programs.kamailio) checks.push(await checkGeneratedConfig(programs.kamailio, plan))
  checks.push(...(await checkRunningOrFree(plan, settings.sipPort)))
  return checks
}

async function checkGeneratedConfig(kamailio: string, plan: EdgePlan): Promise<VoiceCheck> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-voice-check-'))
  try {
    const checked: EdgePlan = {
      ...plan,
      kamailioConfigFile: join(dir, 'kamailio.cfg'),
      tlsConfigFile: join(dir, 'tls.cfg'),
    }
    writeFileSync(checked.kamailioConfigFile, renderKamailioConfig(checked, randomBytes(32).toString('hex')), {
      mode: 0o600,
    })
    if (checked.tls) writeFileSync(checked.tlsConfigFile, renderTlsConfig(checked), { mode: 0o600 })
    const result = await checkKamailioConfig(kamailio, checked.kamailioConfigFile)
    if (result.ok)
      return { name: 'kamailio configuration', ok: true, detail: 'generated kamailio.cfg passes `kamailio -c`' }
    const errors = result.output
      .split('\n')
      .filter((l) => /ERROR|CRITICAL|error/.test(l))
      .slice(-5)
      .join(' | ')
    return {
      name: 'kamailio configuration',
      ok: false,
      detail: `\`kamailio -c\` refuses the generated configuration: ${errors || result.output.slice(-500)}`,
      fix: `check that ${INSTALL} are all installed (websocket.so, tls.so) and the voice.* settings`,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function checkRunningOrFree(plan: EdgePlan, sipPort: number): Promise<VoiceCheck[]> {
  const ng = createNgClient({ port: plan.rtpenginePort })
  try {
    const [sip, pong] = await Promise.all([
      probeSipOptions({ host: plan.listenAddress, port: sipPort, timeoutMs: 1000 }),
      ng.ping(1000),
    ])
    const kamailioRunning = sip?.status === 200 && sip.server === 'Switchboard'
    const taken = (await busyPorts(plan)).filter((p) => (p.purpose.startsWith('rtpengine') ? !pong : !kamailioRunning))
    const checks: VoiceCheck[] = [
      kamailioRunning
        ? {
            name: 'kamailio service',
            ok: true,
            detail: `running: answers SIP OPTIONS on ${plan.listenAddress}:${sipPort}`,
          }
        : { name: 'kamailio service', ok: true, detail: 'not running (Switchboard starts it)' },
      pong
        ? { name: 'rtpengine service', ok: true, detail: `running: answers ping on 127.0.0.1:${plan.rtpenginePort}` }
        : { name: 'rtpengine service', ok: true, detail: 'not running (Switchboard starts it)' },
    ]
    checks.push(
      taken.length === 0
        ? {
            name: 'ports',
            ok: true,
            detail: `${plan.listeners.map((l) => `${l.kind === 'sip' ? l.transport : l.kind} ${l.port}`).join(', ')}; media ${plan.rtpPorts.min}-${plan.rtpPorts.max}`,
          }
        : {
            name: 'ports',
            ok: false,
            detail: taken.map((t) => `${t.transport} ${t.address}:${t.port} (${t.purpose}): ${t.error}`).join('; '),
            fix: 'stop what uses them (another Kamailio or rtpengine?) or change the voice.*Port settings',
          },
    )
    return checks
  } finally {
    ng.close()
  }
}
