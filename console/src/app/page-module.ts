import type { RouteRecordRaw } from 'vue-router'
import type { Role } from '../api/types'

/**
 * How a part of the console plugs in: each folder under src/pages has an index.ts whose default
 * export is a PageModule. The router, the navigation and the translations are assembled from them
 * (src/app/registry.ts), so adding a page never means editing a shared list.
 */
export interface NavEntry {
  /** route path, e.g. '/inbox' */
  to: string
  /** i18n key of the label */
  label: string
  /** an icon name from src/components/icons.ts */
  icon: string
  /** the least role that sees it (roles nest: admin ⊃ supervisor ⊃ agent) */
  role: Role
  /** position in the navigation, ascending */
  order: number
  /** 'main' (top of the sidebar) or 'admin' (the admin group) */
  group?: 'main' | 'admin'
  /** another app of this server (the flow builder at /builder): a plain link, not a console route */
  external?: boolean
}

export type Messages = { [key: string]: string | Messages }

export interface PageModule {
  /** routes inside the signed-in shell; set meta.role for the least role that may open one */
  routes?: RouteRecordRaw[]
  /** routes outside the shell (the login page) */
  publicRoutes?: RouteRecordRaw[]
  nav?: NavEntry[]
  /** translations, merged into the global messages: keep them under the module's own top-level key */
  messages?: { en: Messages; 'zh-CN': Messages }
}

export function definePageModule(module: PageModule): PageModule {
  return module
}

declare module 'vue-router' {
  interface RouteMeta {
    /** the least role that may open the route */
    role?: Role
    /** i18n key of the page title (the browser tab) */
    title?: string
  }
}
