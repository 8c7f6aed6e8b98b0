import type { ComponentType } from 'react'
import type { Page } from './router'
import type { BuilderUser } from './session'

export interface PageProps {
  page: Page
  user: BuilderUser
}

function NotBuiltYet({ page }: PageProps) {
  return <div className="boot">{page.name}</div>
}

/** The component for each page; the flow list and the editor are filled in by their modules. */
export const pages: Record<Page['name'], ComponentType<PageProps>> = {
  flows: NotBuiltYet,
  editor: NotBuiltYet,
}
