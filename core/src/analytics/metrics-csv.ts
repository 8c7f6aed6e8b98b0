import type { MetricValues, MetricsResult } from './compute-metrics.js'

const COLUMNS: Array<[string, (v: MetricValues) => number | null]> = [
  ['offered', (v) => v.offered],
  ['queued', (v) => v.queued],
  ['answered', (v) => v.answered],
  ['abandoned', (v) => v.abandoned],
  ['answer_rate', (v) => v.answerRate],
  ['abandon_rate', (v) => v.abandonRate],
  ['resolved', (v) => v.resolved],
  ['bot_contained', (v) => v.botContained],
  ['containment_rate', (v) => v.containmentRate],
  ['fcr_rate', (v) => v.fcr.rate],
  ['wait_p50_s', (v) => seconds(v.wait.p50Ms)],
  ['wait_p90_s', (v) => seconds(v.wait.p90Ms)],
  ['wait_p95_s', (v) => seconds(v.wait.p95Ms)],
  ['handle_p50_s', (v) => seconds(v.handle.p50Ms)],
  ['handle_p90_s', (v) => seconds(v.handle.p90Ms)],
  ['first_response_p90_s', (v) => seconds(v.firstResponse.p90Ms)],
  ['sla_attainment', (v) => v.sla.attainment],
  ['csat_responses', (v) => v.csat.responses],
  ['csat_average', (v) => v.csat.average],
]

const seconds = (ms: number | null) => (ms === null ? null : ms / 1000)
const cell = (value: number | null) =>
  value === null ? '' : Number.isInteger(value) ? String(value) : value.toFixed(4)
/** a group key is user data (an intent name): quote it, and defuse spreadsheet formulas */
const text = (value: string) => `"${(/^[=+\-@]/.test(value) ? `'${value}` : value).replaceAll('"', '""')}"`

/** One row per interval (and group when grouped), the interval's start in the query's time zone. */
export function metricsToCsv(result: MetricsResult): string {
  const header = ['interval_start', ...(result.groupBy ? [result.groupBy] : []), ...COLUMNS.map(([name]) => name)]
  const lines = [header.join(',')]
  for (const bucket of result.series) {
    const rows = result.groupBy ? (bucket.groups ?? []) : [{ key: null, values: bucket.values }]
    for (const row of rows)
      lines.push(
        [
          bucket.start,
          ...(row.key !== null ? [text(row.key)] : []),
          ...COLUMNS.map(([, get]) => cell(get(row.values))),
        ].join(','),
      )
  }
  return `${lines.join('\r\n')}\r\n`
}
