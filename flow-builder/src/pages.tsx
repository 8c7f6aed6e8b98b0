import type { ComponentType } from 'react'
import type { Page } from './router'
import type { BuilderUser } from './session'
import { EditorPage } from './pages/EditorPage'
import { FlowListPage } from './pages/FlowListPage'

export interface PageProps {
  page: Page
  user: BuilderUser
}

/** The component for each page; the flow list and the editor are filled in by their modules. */
export const pages: Record<Page['name'], ComponentType<PageProps>> = {
  flows: FlowListPage,
  editor: EditorPage,
}
