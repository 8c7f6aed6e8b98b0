/**
 * Additive Holt-Winters (triple exponential smoothing) for contact volumes per interval. With
 * hourly intervals and a season of 168 (a week), the daily pattern is part of the weekly one, so
 * Monday mornings and Sunday nights each get their own shape. Parameters are chosen by a grid
 * search on one-step-ahead errors over the history; forecasts never go below zero.
 */
export interface HoltWintersParams {
  alpha: number
  beta: number
  gamma: number
}

export interface HoltWintersModel {
  params: HoltWintersParams
  seasonLength: number
  /** root mean squared one-step-ahead error over the fitted history (after the first season) */
  fitRmse: number
  /** the next `horizon` values after the series */
  forecast(horizon: number): number[]
}

const GRID = {
  alpha: [0.05, 0.1, 0.2, 0.3, 0.5, 0.7],
  beta: [0, 0.01, 0.05],
  gamma: [0.05, 0.1, 0.2, 0.3, 0.5],
}

interface State {
  level: number
  trend: number
  seasonals: number[]
  sse: number
  count: number
}

function run(series: readonly number[], m: number, { alpha, beta, gamma }: HoltWintersParams): State {
  const seasons = Math.floor(series.length / m)
  const seasonMeans = Array.from({ length: seasons }, (_, s) => mean(series.slice(s * m, (s + 1) * m)))
  let level = seasonMeans[0]!
  let trend = seasons >= 2 ? (seasonMeans[1]! - seasonMeans[0]!) / m : 0
  const seasonals = Array.from({ length: m }, (_, i) => {
    let sum = 0
    for (let s = 0; s < seasons; s++) sum += series[s * m + i]! - seasonMeans[s]!
    return sum / seasons
  })
  let sse = 0
  let count = 0
  for (let t = 0; t < series.length; t++) {
    const value = series[t]!
    const season = seasonals[t % m]!
    if (t >= m) {
      const error = value - (level + trend + season)
      sse += error * error
      count++
    }
    const previousLevel = level
    level = alpha * (value - season) + (1 - alpha) * (level + trend)
    trend = beta * (level - previousLevel) + (1 - beta) * trend
    seasonals[t % m] = gamma * (value - level) + (1 - gamma) * season
  }
  return { level, trend, seasonals, sse, count }
}

export function fitHoltWinters(
  series: readonly number[],
  seasonLength: number,
  params?: HoltWintersParams,
): HoltWintersModel {
  if (!Number.isInteger(seasonLength) || seasonLength < 2) throw new RangeError('seasonLength must be an integer ≥ 2')
  if (series.length < 2 * seasonLength)
    throw new RangeError(
      `Holt-Winters needs at least two seasons of history (${2 * seasonLength} values), got ${series.length}`,
    )
  if (series.some((v) => !Number.isFinite(v))) throw new RangeError('the series must contain finite numbers only')
  let best: { params: HoltWintersParams; state: State } | undefined
  const candidates = params
    ? [params]
    : GRID.alpha.flatMap((alpha) => GRID.beta.flatMap((beta) => GRID.gamma.map((gamma) => ({ alpha, beta, gamma }))))
  for (const candidate of candidates) {
    const state = run(series, seasonLength, candidate)
    if (!best || state.sse < best.state.sse) best = { params: candidate, state }
  }
  const { state } = best!
  const n = series.length
  return {
    params: best!.params,
    seasonLength,
    fitRmse: Math.sqrt(state.sse / Math.max(1, state.count)),
    forecast(horizon) {
      return Array.from({ length: horizon }, (_, k) =>
        Math.max(0, state.level + (k + 1) * state.trend + state.seasonals[(n + k) % seasonLength]!),
      )
    },
  }
}

export interface BacktestResult {
  horizon: number
  /** mean absolute error per interval */
  mae: number
  /** weighted absolute percentage error: Σ|error| / Σ actual (robust to quiet hours with zero volume) */
  wape: number
  rmse: number
  /** the same figures for the seasonal naïve forecast (same interval one season earlier), for comparison */
  naive: { mae: number; wape: number; rmse: number }
  actual: number[]
  forecast: number[]
}

/** Fits on all but the last `horizon` values and measures the forecast of those against what happened. */
export function backtestHoltWinters(series: readonly number[], seasonLength: number, horizon: number): BacktestResult {
  if (series.length < 2 * seasonLength + horizon)
    throw new RangeError(`a back-test of ${horizon} needs ${2 * seasonLength + horizon} values, got ${series.length}`)
  const training = series.slice(0, series.length - horizon)
  const actual = series.slice(series.length - horizon)
  const forecast = fitHoltWinters(training, seasonLength).forecast(horizon)
  const naive = actual.map((_, k) => training[training.length - seasonLength + (k % seasonLength)]!)
  return { horizon, ...errors(actual, forecast), naive: errors(actual, naive), actual, forecast }
}

function errors(actual: number[], predicted: number[]) {
  let abs = 0
  let sq = 0
  for (let i = 0; i < actual.length; i++) {
    const e = actual[i]! - predicted[i]!
    abs += Math.abs(e)
    sq += e * e
  }
  const total = actual.reduce((a, b) => a + b, 0)
  return { mae: abs / actual.length, wape: total > 0 ? abs / total : 0, rmse: Math.sqrt(sq / actual.length) }
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length
}
