import { defineConfig } from 'vitest/config'

// One suite for the whole repository. Set SWITCHBOARD_TEST_DATABASE_URL (a PostgreSQL
// database whose role may CREATE DATABASE) and SWITCHBOARD_TEST_REDIS_URL to run the same
// tests on PostgreSQL and Redis; see test/README.md.
export default defineConfig({
  test: {
    include: [
      'core/src/**/*.test.ts',
      'cli/src/**/*.test.ts',
      'plugins/*/src/**/*.test.ts',
      'plugins/*/test/**/*.test.ts',
      'examples/plugins/*/test/**/*.test.ts',
      'test/**/*.test.ts',
      'console/src/**/*.test.ts',
      'flow-builder/src/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**', 'test/bench/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // isolated-vm requires it on Node ≥ 20 (its README); the server is started with it too
    execArgv: ['--no-node-snapshot'],
    maxWorkers: 2,
    globalSetup: ['test/support/global-setup.ts'],
  },
})
