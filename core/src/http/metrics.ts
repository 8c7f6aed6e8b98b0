import type { Server } from '@hapi/hapi'
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client'

/**
 * Prometheus metrics at GET /metrics: Node process metrics and HTTP request counts and
 * durations by route template (not raw path, so ids do not explode the label set).
 */
export function registerMetrics(server: Server): Registry {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'switchboard_' })
  const requests = new Counter({
    name: 'switchboard_http_requests_total',
    help: 'HTTP requests answered, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  })
  const duration = new Histogram({
    name: 'switchboard_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  })
  server.events.on('response', (request) => {
    const route = request.route?.path ?? 'unknown'
    const status = (request.response as { statusCode?: number } | null)?.statusCode ?? 0
    requests.inc({ method: request.method.toUpperCase(), route, status: String(status) })
    const ms = (request.info.responded || Date.now()) - request.info.received
    duration.observe({ method: request.method.toUpperCase(), route }, ms / 1000)
  })
  server.route({
    method: 'GET',
    path: '/metrics',
    options: { auth: false, description: 'Prometheus metrics' },
    handler: async (_request, h) => h.response(await registry.metrics()).type(registry.contentType),
  })
  return registry
}
