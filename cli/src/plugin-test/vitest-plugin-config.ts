/**
 * The vitest configuration `switchboard plugin test` runs a plugin's tests with when the plugin
 * has none of its own. The CLI passes the aliases in SWITCHBOARD_PLUGIN_TEST_ALIASES (the SDK
 * and vitest from the CLI's own node_modules, for each one the plugin cannot resolve itself) and
 * a cache folder outside the plugin in SWITCHBOARD_PLUGIN_TEST_CACHE.
 */
const aliases = JSON.parse(process.env.SWITCHBOARD_PLUGIN_TEST_ALIASES ?? '{}') as Record<string, string>
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

export default {
  cacheDir: process.env.SWITCHBOARD_PLUGIN_TEST_CACHE,
  resolve: {
    alias: Object.entries(aliases).map(([find, replacement]) => ({
      find: new RegExp(`^${escape(find)}$`),
      replacement,
    })),
  },
  test: {
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
  },
}
