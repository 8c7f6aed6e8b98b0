/**
 * Where the suite finds its real servers. Unset: SQLite files and in-process infra (plus a
 * redis-server started by global-setup for the Redis contract suite, when one is installed).
 */
export const testDatabaseUrl = process.env.SWITCHBOARD_TEST_DATABASE_URL || undefined
export const testRedisUrl =
  process.env.SWITCHBOARD_TEST_REDIS_URL || process.env.SWITCHBOARD_TEST_REDIS_STARTED_URL || undefined
/** true when the app under test should share state through Redis (the PostgreSQL + Redis variant) */
export const appUsesRedis = Boolean(process.env.SWITCHBOARD_TEST_REDIS_URL)
