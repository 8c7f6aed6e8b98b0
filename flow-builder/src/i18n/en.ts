import type { Dict } from './index'

export const en: Dict = {
  app: { title: 'Flow builder', console: 'Console', loading: 'Loading…', language: 'Language' },
  flows: { title: 'Flows', empty: 'No flows yet' },
  errors: { generic: 'Something went wrong' },
}
