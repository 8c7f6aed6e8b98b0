import { pino, type Logger } from 'pino'
import pretty from 'pino-pretty'
import type { Config } from './config/index.js'

/** Structured logs on stdout (JSON, or coloured lines on a terminal); secrets never reach them. */
export function createLogger(config: Pick<Config, 'log'>): Logger {
  const options = {
    level: config.log.level,
    base: { service: 'switchboard' },
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', 'password', '*.password'],
  }
  const usePretty = config.log.format === 'pretty' || (config.log.format === 'auto' && process.stdout.isTTY)
  if (!usePretty) return pino(options)
  return pino(
    options,
    pretty({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service' }),
  )
}
export type { Logger }
