/**
 * @switchboard/plugin-sdk: the one package a Switchboard plugin imports. It depends on
 * nothing server-side. The manifest schema, capability interfaces and test harness arrive
 * with the plugin platform; this first part is the error contract shared with the core.
 */
export { isPluginError, pluginError } from './errors.js'
export type { PluginErrorData } from './errors.js'

/** The plugin contract version; a plugin declares which core versions it supports against it. */
export const SDK_VERSION = '0.1.0'
