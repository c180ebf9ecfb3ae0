// Test helpers: a throwaway redis-server on loopback (for this package's tests, the CLI's and the crash suite).
export { startRedisServer, type RedisServer, type RedisServerOptions } from './testing/redis-server.js';
