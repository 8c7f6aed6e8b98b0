/**
 * The public face of @switchboard/core, used by the CLI and the cross-package tests.
 */
export { createApp } from './app.js'
export type { App, CreateAppOptions, Services } from './app.js'
export {
  loadConfig,
  maskUrlPassword,
  describeSettings,
  loadSecrets,
  createSecretsFile,
  secretsPath,
  writeSecretsFile,
  parseDuration,
} from './config/index.js'
export type { Config, Secrets } from './config/index.js'
export { readSecretsFile, newKeyId } from './config/secrets.js'
export {
  databaseTarget,
  migrateDatabase,
  openDatabase,
  pingDatabase,
  readMigrations,
  redactUrl,
} from './storage/index.js'
export type { Db, DatabaseTarget, MigrationResult } from './storage/index.js'
export { runFirstRunSetup } from './setup/index.js'
export type { FirstRunResult } from './setup/index.js'
export { countValuesByKey, createPiiCipher, reencryptAll } from './pii/index.js'
export { createLogger } from './logger.js'
export { isSwitchboardError, ErrorCode, userError } from './errors/index.js'
export { systemActor } from './audit/index.js'
export { roles } from './auth/roles.js'
export { version } from './version.js'
export { parseIntentExamplesFile, trainIntentModel, DEFAULT_INTENT_THRESHOLD } from './nlu/index.js'
export type { IntentClassification, IntentClassifier, IntentImportResult, IntentView } from './nlu/index.js'
export { parseKbEntriesFile, buildKbSearchIndex, DEFAULT_KB_THRESHOLD } from './kb/index.js'
export type { KbHit, KbImportResult, KbEntryView, KnowledgeBase } from './kb/index.js'
export { NodeTypeRegistry, validateFlow, runFlowTests } from './flows/index.js'
export type { FlowProblem, FlowTestReport, FlowDocument, FlowFile } from './flows/index.js'
export { flowFileSchema } from './flows/index.js'
export { createPluginSandbox, readPluginFolder, sandboxEngineInfo } from './plugins/index.js'
export type { PluginsService, PluginStatus, PluginPackage } from './plugins/index.js'
export { checkVoiceEdge, createSipCredentials, deriveVoiceSecret, startVoiceEdge } from './voice/index.js'
export type { VoiceCheck, VoiceEdge, SipCredentials } from './voice/index.js'
