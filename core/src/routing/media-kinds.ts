import type { MediaKind } from './routing-types.js'

/** Every kind of work, in a fixed order. */
export const mediaKinds: readonly MediaKind[] = ['chat', 'voice', 'email']
