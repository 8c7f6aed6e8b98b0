import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import '@xyflow/react/dist/style.css'
import { App } from './App'
import { I18nProvider, initialLocale } from './i18n'
import './styles.css'

document.documentElement.lang = initialLocale()
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <App />
    </I18nProvider>
  </StrictMode>,
)
