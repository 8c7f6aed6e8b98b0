import { join } from 'node:path'
import type { EdgePlan } from './edge-plan.js'

/**
 * rtpengine's command line: userspace forwarding only (no kernel module, nothing from
 * /etc/rtpengine), media on the listen address (advertising the public one behind NAT),
 * commands (the ng protocol) on 127.0.0.1, in the foreground with its log on stderr.
 */
export function rtpengineArgs(plan: EdgePlan): string[] {
  const media = plan.publicAddress ? `${plan.listenAddress}!${plan.publicAddress}` : plan.listenAddress
  return [
    '--config-file=none',
    '--table=-1',
    `--interface=${media}`,
    `--listen-ng=127.0.0.1:${plan.rtpenginePort}`,
    `--port-min=${plan.rtpPorts.min}`,
    `--port-max=${plan.rtpPorts.max}`,
    '--foreground',
    '--log-stderr',
    '--log-level=6',
    '--num-threads=2',
    `--pidfile=${rtpenginePidFile(plan)}`,
  ]
}

export function rtpenginePidFile(plan: EdgePlan): string {
  return join(plan.runDir, 'rtpengine.pid')
}

/** Kamailio's command line: foreground, log on stderr, runtime files in the data directory. */
export function kamailioArgs(plan: EdgePlan): string[] {
  return [
    '-f',
    plan.kamailioConfigFile,
    '-DD',
    '-E',
    '-Y',
    plan.runDir,
    '-P',
    kamailioPidFile(plan),
    '-m',
    '64',
    '-M',
    '8',
  ]
}

export function kamailioPidFile(plan: EdgePlan): string {
  return join(plan.runDir, 'kamailio.pid')
}
