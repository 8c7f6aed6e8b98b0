// Analytics: metrics over the conversations' facts by interval, top issues, forecasts and staffing.
export { analyticsRoutes } from './analytics-routes.js'
export { createAnalyticsService, type AnalyticsService } from './analytics-service.js'
export {
  computeMetrics,
  percentiles,
  type Dimension,
  type MetricValues,
  type MetricsResult,
} from './compute-metrics.js'
export { ratingOf, type ContactFact } from './contact-facts.js'
export { firstAgentReplies, readContactFacts } from './read-facts.js'
