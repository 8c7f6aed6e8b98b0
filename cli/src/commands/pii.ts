import { randomBytes } from 'node:crypto'
import type { Command } from 'commander'
import {
  countValuesByKey,
  createApp,
  loadConfig,
  newKeyId,
  readSecretsFile,
  reencryptAll,
  secretsPath,
  systemActor,
  writeSecretsFile,
  type Config,
} from '@switchboard/core'
import { step, table } from '../support/output.js'

const quietConfig = () => loadConfig({ env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' } })

async function reencryptWithProgress(config: Config, label: string) {
  const app = await createApp(config)
  try {
    const result = await step(label, (progress) =>
      reencryptAll(app.db, app.pii, (p) => progress(`${p.table} ${p.done}/${p.total}`)),
    )
    await app.services.audit.record(systemActor('cli'), {
      action: 'pii.reencrypt',
      details: { activeKeyId: app.pii.activeKeyId, reencrypted: result.reencrypted },
    })
    return { ...result, activeKeyId: app.pii.activeKeyId }
  } finally {
    await app.stop()
  }
}

/**
 * A running server keeps the keyring it started with: it could neither read values under a new
 * key nor stop writing with an old one. Rotation therefore waits until no server answers here.
 */
async function refuseWhileServing(config: Config, force: boolean) {
  if (force) return
  const url = `http://${config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host}:${config.server.port}/health`
  const answered = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
    () => true,
    () => false,
  )
  if (answered) {
    throw new Error(
      `a Switchboard server answers at ${url}. Stop every instance first (they keep the old keyring in memory), or pass --force if that address is not this install.`,
    )
  }
}

/** Keys in secrets.json can be rotated here; keys given by SWITCHBOARD_PII_KEYS must be changed where they are set. */
function fileKeyring(config: Config) {
  if (config.pii.keys) {
    throw new Error(
      'the PII keys come from SWITCHBOARD_PII_KEYS, which this command cannot rewrite. Put a new key first in that variable (`id:` + `openssl rand -base64 32`), restart every instance, run `switchboard pii reencrypt`, then remove the old key.',
    )
  }
  const file = readSecretsFile(config)
  if (!file) throw new Error(`no ${secretsPath(config)}; run \`switchboard init\` first`)
  return file
}

export function registerPii(program: Command): void {
  const pii = program.command('pii').description('Personal data encryption keys')

  pii
    .command('rotate-key')
    .description(
      'Make a new encryption key the active one and re-encrypt all personal data with it (the old key stays, decrypt-only, until `retire-keys`)',
    )
    .action(async () => {
      const config = quietConfig()
      const file = fileKeyring(config)
      const id = newKeyId()
      writeSecretsFile(config, { ...file, piiKeys: [{ id, key: randomBytes(32).toString('base64') }, ...file.piiKeys] })
      process.stdout.write(`New active key ${id} written to ${secretsPath(config)} (old keys kept for decryption).\n`)
      const result = await reencryptWithProgress(config, 'Re-encrypting personal data')
      process.stdout.write(
        `Re-encrypted ${result.reencrypted} record(s) with key ${result.activeKeyId}.\n` +
          'Next: start Switchboard again; once every instance runs with the new keyring, `switchboard pii retire-keys` removes the old key.\n',
      )
    })

  pii
    .command('reencrypt')
    .description('Re-encrypt every value that is not under the active key (safe to interrupt and run again)')
    .action(async () => {
      const result = await reencryptWithProgress(quietConfig(), 'Re-encrypting personal data')
      process.stdout.write(
        `Re-encrypted ${result.reencrypted} record(s); all personal data now uses key ${result.activeKeyId}.\n`,
      )
    })

  pii
    .command('retire-keys')
    .description(
      'Re-encrypt what is left under old keys, then remove the old keys from secrets.json (only keys no stored value uses)',
    )
    .option('--force', 'run even though a server answers on the configured port')
    .action(async (options: { force?: boolean }) => {
      const config = quietConfig()
      await refuseWhileServing(config, options.force ?? false)
      const file = fileKeyring(config)
      if (file.piiKeys.length === 1) {
        process.stdout.write('Only the active key is present; nothing to retire.\n')
        return
      }
      await reencryptWithProgress(config, 'Re-encrypting values still under old keys')
      const app = await createApp(config)
      const counts = await countValuesByKey(app.db, (v) => app.pii.keyIdOf(v)).finally(() => app.stop())
      const stillUsed = file.piiKeys.slice(1).filter((k) => (counts[k.id] ?? 0) > 0)
      if (stillUsed.length) {
        throw new Error(
          `key(s) ${stillUsed.map((k) => k.id).join(', ')} still encrypt stored values (written meanwhile?; call recordings keep the key they were sealed with until they are deleted, see voice.recordingRetentionDays); run \`switchboard pii retire-keys\` again later`,
        )
      }
      writeSecretsFile(config, { ...file, piiKeys: [file.piiKeys[0]!] })
      process.stdout.write(`Removed ${file.piiKeys.length - 1} old key(s); ${file.piiKeys[0]!.id} is the only key.\n`)
    })

  pii
    .command('status')
    .description('Show the keyring and how many stored values each key encrypts')
    .action(async () => {
      const app = await createApp(quietConfig())
      try {
        const counts = await countValuesByKey(app.db, (v) => app.pii.keyIdOf(v))
        const file = app.config.pii.keys ? undefined : readSecretsFile(app.config)
        const ids = file
          ? file.piiKeys.map((k) => k.id)
          : (app.config.pii.keys ?? '').split(',').map((e) => e.split(':')[0]!.trim())
        const unknown = Object.keys(counts).filter((id) => !ids.includes(id))
        process.stdout.write(
          table([
            ...ids.map((id, i) => ({
              key: id,
              role: i === 0 ? 'active' : 'decrypt-only',
              values: String(counts[id] ?? 0),
            })),
            ...unknown.map((id) => ({ key: id, role: 'MISSING from keyring', values: String(counts[id]) })),
          ]),
        )
      } finally {
        await app.stop()
      }
    })
}
