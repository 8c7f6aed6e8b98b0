/** Where the host finds the bundled handlers, relative to the plugin folder. */
export const BUNDLE_PATH = 'dist/plugin.js'

/** Where the manifest is written, relative to the plugin folder. */
export const MANIFEST_PATH = 'dist/manifest.json'

/** The global the sandbox reads the handlers from: `__switchboardPlugin.default`. */
export const BUNDLE_GLOBAL = '__switchboardPlugin'
