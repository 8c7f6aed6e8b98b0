import { useEffect, useState } from 'react'

/**
 * The builder's few pages, by path under /builder: '' (the flow list) and 'flows/<id>' (the
 * editor). Navigation uses the History API; the core answers every /builder path with the app.
 */
export type Page = { name: 'flows' } | { name: 'editor'; flowId: string }

export function parsePath(pathname: string): Page {
  const rest = pathname.replace(/^\/builder\/?/, '')
  const editor = /^flows\/([^/]+)\/?$/.exec(rest)
  if (editor) return { name: 'editor', flowId: decodeURIComponent(editor[1]!) }
  return { name: 'flows' }
}

export function navigate(path: string): void {
  history.pushState(null, '', `/builder${path}`)
  window.dispatchEvent(new PopStateEvent('popstate'))
}

export function usePage(): Page {
  const [page, setPage] = useState(() => parsePath(location.pathname))
  useEffect(() => {
    const onPop = () => setPage(parsePath(location.pathname))
    window.addEventListener('popstate', onPop)
    return () => window.removeEventListener('popstate', onPop)
  }, [])
  return page
}
