import { formatDuration } from '../../components/use-now'
import type { ActiveAlert } from './types'

type Translate = (key: string, values?: Record<string, unknown>) => string

/** "After-sales: 7 waiting (more than 5)" in the page's language. */
export function alertText(t: Translate, alert: ActiveAlert): string {
  const queue = alert.queueName ?? t('dashboard.alerts.allQueues')
  const seconds = alert.metric === 'longestWait'
  return t(`dashboard.alerts.text.${alert.metric}`, {
    queue,
    value: seconds ? formatDuration(alert.value * 1000) : alert.value,
    threshold: seconds ? formatDuration(alert.threshold * 1000) : alert.threshold,
  })
}
