/**
 * Plugin sockets: the WebSocket transport the host grants channel plugins (the web chat widget).
 * The host owns the connection and its reliability (visitor ids, seq, acks, resume); the plugin
 * decides who may connect and what a visitor's frame means.
 */
export { createSocketHub } from './socket-hub.js'
export type { SocketHub, SocketConnection } from './socket-hub.js'
export { serveSocketUpgrades } from './socket-upgrade.js'
export { clientFrame, toMessageFrame } from './socket-frames.js'
export type { ClientFrame, MessageFrame } from './socket-frames.js'
export { pluginSockets } from './sockets-plugin.js'
export type { PluginSocketsOptions } from './sockets-plugin.js'
