/**
 * @switchboard/plugin-sdk: the one package a Switchboard plugin imports. It depends on nothing
 * server-side (only zod, for schemas).
 *
 * - `@switchboard/plugin-sdk`: `definePlugin`, the manifest schema, capability interfaces.
 * - `@switchboard/plugin-sdk/runtime`: `defineHandlers` and `pluginError`, for code that runs in the sandbox.
 * - `@switchboard/plugin-sdk/testing`: `createTestHarness`, to test handlers locally.
 */
export { z } from 'zod'
export type { Localized } from './localized.js'
export { definePlugin } from './definition.js'
export type {
  ActionDefinition,
  ChannelDefinition,
  NodeDefinition,
  PanelDefinition,
  PluginDefinition,
  PluginKind,
  PluginLimits,
  PluginPermissions,
} from './definition.js'
// everything handler code imports, from one list
export * from './runtime.js'
export { checkManifest, pluginManifest, toManifest } from './manifest.js'
export type { ManifestProblem, PluginManifest } from './manifest.js'
export * from './capabilities/index.js'

/** The plugin contract version; a plugin declares which core versions it supports against it. */
export const SDK_VERSION = '0.1.0'
