import Holidays from 'date-holidays'

/** [start, end) in epoch ms */
export type Span = readonly [number, number]

const byCountryYear = new Map<string, Span[]>()

/**
 * The public holidays of a country in a year, as the instants they start and end (in the
 * country's own time zone, as date-holidays defines them; half days start at noon). Kept once read.
 */
export function publicHolidays(country: string, year: number): Span[] {
  const key = `${country}:${year}`
  let spans = byCountryYear.get(key)
  if (!spans) {
    spans = new Holidays(country)
      .getHolidays(year)
      .filter((h) => h.type === 'public')
      .map((h): Span => [h.start.getTime(), h.end.getTime()])
    byCountryYear.set(key, spans)
  }
  return spans
}
