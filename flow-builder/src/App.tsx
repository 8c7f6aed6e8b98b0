import { useEffect, useState } from 'react'
import { useI18n } from './i18n'
import { pages } from './pages'
import { usePage } from './router'
import { loadSession, type BuilderUser } from './session'

export function App() {
  const { t } = useI18n()
  const [user, setUser] = useState<BuilderUser | null>(null)
  const page = usePage()
  useEffect(() => {
    void loadSession().then(setUser)
  }, [])
  if (!user) return <div className="boot">{t('app.loading')}</div>
  const Page = pages[page.name]
  return <Page page={page} user={user} />
}
