import { execFile } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, isAbsolute, join } from 'node:path'
import type { VoiceSettings } from './edge-plan.js'

/** The Debian packages that hold what the voice edge runs. */
export const VOICE_PACKAGES = 'kamailio kamailio-websocket-modules kamailio-tls-modules rtpengine-daemon' as const

export interface VoicePrograms {
  kamailio: string | undefined
  rtpengine: string | undefined
}

/** kamailio lives in /usr/sbin, which is not on an ordinary user's PATH. */
const SYSTEM_DIRS = ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin', '/sbin']

export function findVoicePrograms(settings: Pick<VoiceSettings, 'kamailioPath' | 'rtpenginePath'>): VoicePrograms {
  return {
    kamailio: findProgram(settings.kamailioPath ?? 'kamailio'),
    rtpengine: findProgram(settings.rtpenginePath ?? 'rtpengine'),
  }
}

/** An executable by path, or by name on PATH and the system directories. */
export function findProgram(nameOrPath: string): string | undefined {
  const candidates =
    isAbsolute(nameOrPath) || nameOrPath.includes('/')
      ? [nameOrPath]
      : [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SYSTEM_DIRS].map((d) => join(d, nameOrPath))
  return candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}

export interface ProgramRun {
  code: number | null
  output: string
}

/** Runs a program to completion (bounded by timeoutMs) and returns its exit code and combined output. */
export function runProgram(path: string, args: string[], timeoutMs = 10_000): Promise<ProgramRun> {
  return new Promise((resolve) => {
    execFile(path, args, { timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0
      resolve({ code, output: `${stdout}${stderr}`.trim() })
    })
  })
}

/** "5.6.3" from `kamailio -v`, "10.5.3.5-1+deb12u1" from `rtpengine --version`. */
export async function programVersion(path: string, which: 'kamailio' | 'rtpengine'): Promise<string | undefined> {
  const run = await runProgram(path, which === 'kamailio' ? ['-v'] : ['--version'], 5000)
  const pattern = which === 'kamailio' ? /version:\s*kamailio\s+(\S+)/i : /Version:\s*(\S+)/i
  return pattern.exec(run.output)?.[1]
}

/** `kamailio -c`: parses the configuration and loads its modules without starting. */
export async function checkKamailioConfig(
  kamailio: string,
  configFile: string,
): Promise<{ ok: boolean; output: string }> {
  const run = await runProgram(kamailio, ['-c', '-f', configFile], 15_000)
  return { ok: run.code === 0 && /config file ok/i.test(run.output), output: run.output }
}
