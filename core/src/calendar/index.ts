// Calendar: business hours (weekly hours in a time zone, public holidays, closed and open dates) and
// whether they are open at an instant. Shared by the flows' business-hours node and the queues; it
// depends on nothing of either.
export {
  businessHoursSchema,
  storedBusinessHours,
  weekdays,
  type BusinessHours,
  type BusinessHoursInput,
  type Weekday,
} from './business-hours.js'
export { businessHoursState, isOpen, DEFAULT_HORIZON_DAYS, type BusinessHoursState } from './business-hours-state.js'
export { businessHoursRoutes } from './business-hours-routes.js'
export { addBusinessTime, businessTimeBetween, subtractBusinessTime } from './business-time.js'
