/**
 * Erlang C: how many agents a queue needs for a service level, from the arrivals and the
 * handle time of one interval. Computed with the Erlang B recursion (numerically stable for
 * hundreds of agents) and C = B·N / (N − A·(1 − B)).
 */
export interface StaffingInput {
  /** contacts arriving in the interval */
  arrivals: number
  /** the interval's length in seconds (e.g. 1800 for half an hour) */
  intervalSeconds: number
  /** average handle time in seconds (talk + after-call work) */
  ahtSeconds: number
  /** the share answered within targetSeconds, 0–1 (e.g. 0.8 for "80/20") */
  serviceLevel: number
  targetSeconds: number
  /** at most this many agents are considered (bounds the search) */
  maxAgents?: number
}

export interface StaffingResult {
  /** the offered traffic in Erlangs (A = arrivals × AHT / interval) */
  trafficErlangs: number
  /** the fewest agents that meet the service level (0 when nothing arrives) */
  agents: number
  /** the probability a contact waits at all, with that many agents */
  probabilityOfWaiting: number
  /** the share answered within the target */
  serviceLevel: number
  /** average speed of answer in seconds */
  averageSpeedOfAnswer: number
  /** busy share of the agents' time */
  occupancy: number
}

/** P(wait) for N agents and A Erlangs of traffic; 1 when N ≤ A (the queue grows without bound). */
export function erlangC(agents: number, traffic: number): number {
  if (traffic <= 0) return 0
  if (agents <= traffic) return 1
  let b = 1
  for (let k = 1; k <= agents; k++) b = (traffic * b) / (k + traffic * b)
  return (b * agents) / (agents - traffic * (1 - b))
}

export function serviceLevelFor(agents: number, traffic: number, ahtSeconds: number, targetSeconds: number): number {
  if (traffic <= 0) return 1
  if (agents <= traffic) return 0
  return 1 - erlangC(agents, traffic) * Math.exp((-(agents - traffic) * targetSeconds) / ahtSeconds)
}

export function requiredAgents(input: StaffingInput): StaffingResult {
  const { arrivals, intervalSeconds, ahtSeconds, serviceLevel, targetSeconds } = input
  if (!(intervalSeconds > 0) || !(ahtSeconds > 0))
    throw new RangeError('intervalSeconds and ahtSeconds must be positive')
  if (!(serviceLevel > 0 && serviceLevel < 1)) throw new RangeError('serviceLevel must be between 0 and 1')
  const traffic = (Math.max(0, arrivals) * ahtSeconds) / intervalSeconds
  if (traffic === 0)
    return {
      trafficErlangs: 0,
      agents: 0,
      probabilityOfWaiting: 0,
      serviceLevel: 1,
      averageSpeedOfAnswer: 0,
      occupancy: 0,
    }
  const maxAgents = input.maxAgents ?? Math.ceil(traffic * 3 + 50)
  for (let agents = Math.floor(traffic) + 1; agents <= maxAgents; agents++) {
    const level = serviceLevelFor(agents, traffic, ahtSeconds, targetSeconds)
    if (level >= serviceLevel) {
      const pw = erlangC(agents, traffic)
      return {
        trafficErlangs: traffic,
        agents,
        probabilityOfWaiting: pw,
        serviceLevel: level,
        averageSpeedOfAnswer: (pw * ahtSeconds) / (agents - traffic),
        occupancy: traffic / agents,
      }
    }
  }
  throw new RangeError(`more than ${maxAgents} agents would be needed for ${traffic.toFixed(1)} Erlangs`)
}
