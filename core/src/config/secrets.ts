import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { ErrorCode, userError } from '../errors/index.js'
import type { Config } from './load-config.js'

const keyEntry = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/), key: z.string() })
const secretsFileSchema = z.object({
  cookieSecret: z.string().min(32),
  piiKeys: z.array(keyEntry).min(1),
  piiHashKey: z.string(),
})
export type SecretsFile = z.infer<typeof secretsFileSchema>

export interface Secrets {
  cookieSecret: string
  /** first key encrypts; every key decrypts */
  piiKeys: Array<{ id: string; key: Buffer }>
  piiHashKey: Buffer
  /** where the PII keys came from: rotation rewrites the file, but cannot rewrite environment variables */
  piiKeysSource: 'env' | 'file'
}

export function secretsPath(config: Config): string {
  return join(config.data.dir, 'secrets.json')
}

/** Creates secrets.json with fresh random secrets (mode 0600). Leaves an existing file alone. */
export function createSecretsFile(config: Config): boolean {
  const path = secretsPath(config)
  if (existsSync(path)) return false
  mkdirSync(config.data.dir, { recursive: true, mode: 0o700 })
  writeSecretsFile(config, {
    cookieSecret: randomBytes(32).toString('base64url'),
    piiKeys: [{ id: newKeyId(), key: randomBytes(32).toString('base64') }],
    piiHashKey: randomBytes(32).toString('base64'),
  })
  return true
}

/** Atomically replaces secrets.json (write to a temporary file, then rename). */
export function writeSecretsFile(config: Config, secrets: SecretsFile): void {
  const path = secretsPath(config)
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 })
  chmodSync(tmp, 0o600)
  renameSync(tmp, path)
}

export function readSecretsFile(config: Config): SecretsFile | undefined {
  const path = secretsPath(config)
  if (!existsSync(path)) return undefined
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw userError(
      ErrorCode.CONFIG_INVALID,
      `Invalid configuration: ${path} is not valid JSON (${(error as Error).message})`,
    )
  }
  const parsed = secretsFileSchema.safeParse(json)
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')
    throw userError(
      ErrorCode.CONFIG_INVALID,
      `Invalid configuration: ${path} has missing or malformed fields: ${fields}`,
    )
  }
  return parsed.data
}

export function newKeyId(): string {
  return `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}${randomBytes(3).toString('hex')}`
}

/** Secrets from the environment (SWITCHBOARD_COOKIE_SECRET, SWITCHBOARD_PII_KEYS, SWITCHBOARD_PII_HASH_KEY) or secrets.json. */
export function loadSecrets(config: Config): Secrets {
  const file = readSecretsFile(config)
  const cookieSecret = config.auth.cookieSecret ?? file?.cookieSecret
  const keysFromEnv = config.pii.keys !== undefined
  const piiKeys = keysFromEnv
    ? parseKeyring(config.pii.keys!)
    : file?.piiKeys.map((k) => ({ id: k.id, key: decodeKey(k.key, `piiKeys[${k.id}] in secrets.json`) }))
  const hashKeyText = config.pii.hashKey ?? file?.piiHashKey
  if (!cookieSecret || !piiKeys || !hashKeyText) {
    throw userError(
      ErrorCode.CONFIG_INVALID,
      `Missing secrets: no ${secretsPath(config)} and no SWITCHBOARD_COOKIE_SECRET / SWITCHBOARD_PII_KEYS / SWITCHBOARD_PII_HASH_KEY. Run \`switchboard init\` to create them.`,
    )
  }
  return {
    cookieSecret,
    piiKeys,
    piiHashKey: decodeKey(
      hashKeyText,
      config.pii.hashKey ? 'SWITCHBOARD_PII_HASH_KEY (pii.hashKey)' : 'piiHashKey in secrets.json',
    ),
    piiKeysSource: keysFromEnv ? 'env' : 'file',
  }
}

function parseKeyring(text: string): Array<{ id: string; key: Buffer }> {
  return text.split(',').map((entry) => {
    const [id, key] = entry.trim().split(':')
    if (!id || !key || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
      throw userError(
        ErrorCode.CONFIG_INVALID,
        'Invalid configuration: SWITCHBOARD_PII_KEYS (pii.keys) must be comma-separated id:base64key entries, e.g. k1:3q2+7w…',
      )
    }
    return { id, key: decodeKey(key, `SWITCHBOARD_PII_KEYS (pii.keys) entry ${id}`) }
  })
}

function decodeKey(text: string, where: string): Buffer {
  const key = Buffer.from(text, 'base64')
  if (key.length !== 32) {
    throw userError(
      ErrorCode.CONFIG_INVALID,
      `Invalid configuration: ${where} must be a base64 text of 32 bytes (generate one with \`openssl rand -base64 32\`)`,
    )
  }
  return key
}
