import { inboundMessage, inboundMessageProblem, type InboundMessage } from '@switchboard/plugin-sdk'
import { ErrorCode } from '../errors/index.js'
import type { Infra } from '../infra/index.js'
import type { Logger } from '../logger.js'
import type { Db } from '../storage/index.js'
import type { LoadedPlugin } from './loaded-plugin.js'
import { pluginUserError } from './plugin-errors.js'
import { createPluginCache } from './plugin-cache.js'
import { createPluginKvStore } from './plugin-kv-store.js'
import type { HostCapabilities } from './sandbox/index.js'

/** An inbound message a channel plugin received, as the host hands it on. */
export interface InboundDelivery {
  plugin: string
  channel: string
  identityKind: string
  message: InboundMessage
}

/**
 * The host's side of a plugin's `ctx`, each member held to what the plugin declared: its own kv
 * store within its quota, its own bounded cache, its log, the event topics it may emit (published
 * as `plugin.<name>.<topic>`, so a plugin cannot forge a core event), and inbound messages of the
 * channels it declared, handed on once per channel message id.
 */
export function hostCapabilities(
  deps: {
    db: Db
    infra: Infra
    logger: Logger
    provider: 'sqlite' | 'postgresql'
    /** hands an inbound message to the conversations module, on the instance that received it; whether it had it already */
    onInbound?: (input: InboundDelivery) => Promise<{ duplicate: boolean } | void>
  },
  plugin: LoadedPlugin,
): HostCapabilities {
  const { db, infra, logger } = deps
  const { manifest } = plugin
  return {
    kv: createPluginKvStore(db, manifest.name, manifest.permissions.storageKb, deps.provider),
    cache: createPluginCache(infra, manifest.name),
    log(level, message, fields) {
      plugin.log.add(level, message, fields)
      logger[level]({ plugin: manifest.name, fields }, `plugin: ${message.slice(0, 500)}`)
    },
    async emit(topic, data) {
      if (!manifest.permissions.events.emit.includes(topic))
        throw pluginUserError(ErrorCode.PLUGIN_EVENT_NOT_ALLOWED, `${topic} is not in permissions.events.emit`)
      await infra.bus.publish(`plugin.${manifest.name}.${topic}`, data)
    },
    async receive(channel, message) {
      if (!manifest.channels[channel])
        throw pluginUserError(ErrorCode.PLUGIN_INVALID_OUTPUT, `${manifest.name} has no channel named ${channel}`)
      const parsed = inboundMessage.safeParse(message)
      if (!parsed.success)
        throw pluginUserError(
          ErrorCode.PLUGIN_INVALID_OUTPUT,
          `inbound message: ${inboundMessageProblem(parsed.error.issues)}`,
          parsed.error.issues,
        )
      // a channel retries (WeChat thrice): a message id handed on is remembered for a day. It is
      // marked only once handed on (stored): an instance that dies before that must not make the
      // retry, on another instance, look like a duplicate. The conversations module keeps each
      // channel message id once, so retries racing each other are stored once too.
      const seenKey = `plugin-inbound:${manifest.name}:${channel}:${parsed.data.channelMessageId}`
      if ((await infra.cache.get(seenKey)) !== undefined) return { duplicate: true }
      const delivery = {
        plugin: manifest.name,
        channel,
        identityKind: manifest.channels[channel]!.identityKind,
        message: parsed.data,
      }
      const outcome = await deps.onInbound?.(delivery)
      await infra.cache.set(seenKey, true, 24 * 3600_000)
      if (outcome?.duplicate) return { duplicate: true }
      await infra.bus.publish('channel.message.received', delivery)
      return { duplicate: false }
    },
  }
}
