import { error, warning, type LintFinding, type LintRule } from '../lint-finding.js'

/** Calls to fetch in the bundled handlers (`ctx.fetch(…)`, or a destructured `fetch(…)`). */
const fetchCall = /\bfetch\s*\(/
const kvWrite = /\bkv\s*\.\s*set\s*\(/

/** What the code does is declared: hosts for fetch, storage for the store, webhooks for a channel. */
export const permissionRules: LintRule = ({ manifest, code }) => {
  const findings: LintFinding[] = []
  const { hosts, webhooks, storageKb } = manifest.permissions
  const fetches = fetchCall.test(code)
  if (fetches && hosts.length === 0)
    findings.push(
      error(
        'permissions/hosts-missing',
        'permissions.hosts',
        'the handlers call ctx.fetch but no host is declared; the host refuses every request',
      ),
    )
  if (!fetches && hosts.length > 0)
    findings.push(
      warning(
        'permissions/hosts-unused',
        'permissions.hosts',
        'hosts are declared but the handlers never call ctx.fetch',
      ),
    )
  if (kvWrite.test(code) && storageKb === 0)
    findings.push(
      warning(
        'permissions/storage-missing',
        'permissions.storageKb',
        'the handlers write to ctx.kv but no storage is declared',
      ),
    )
  if (manifest.kinds.includes('channel') && webhooks.length === 0 && manifest.permissions.sockets.length === 0)
    findings.push(
      error(
        'permissions/webhooks-missing',
        'permissions.webhooks',
        'a channel plugin declares the webhook route(s) its service delivers messages to, or a socket (web chat)',
      ),
    )
  return findings
}

/** What the build warned about (globals the sandbox lacks, esbuild's own warnings). */
export const buildWarningRules: LintRule = ({ buildWarnings }) =>
  buildWarnings.map((w) => warning(w.code, w.location ?? '(bundle)', w.message))
