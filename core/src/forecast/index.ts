// Forecasting and staffing: volume forecasts per interval (Holt-Winters) and the agents a
// service level needs (Erlang C). Pure functions; the analytics module feeds them history.
export { erlangC, requiredAgents, serviceLevelFor, type StaffingInput, type StaffingResult } from './erlang-c.js'
export {
  backtestHoltWinters,
  fitHoltWinters,
  type BacktestResult,
  type HoltWintersModel,
  type HoltWintersParams,
} from './holt-winters.js'
