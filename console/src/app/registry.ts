import type { NavEntry, PageModule } from './page-module'

/** Every page module (src/pages/<name>/index.ts), loaded at build time. */
const found = import.meta.glob<{ default: PageModule }>('../pages/*/index.ts', { eager: true })

export const pageModules: PageModule[] = Object.keys(found)
  .sort()
  .map((key) => found[key]!.default)

export const navEntries: NavEntry[] = pageModules.flatMap((m) => m.nav ?? []).sort((a, b) => a.order - b.order)
