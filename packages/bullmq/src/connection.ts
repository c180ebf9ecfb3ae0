import type { RedisOptions } from 'bullmq';

/**
 * ioredis options for a `redis://[user:password@]host[:port][/db]` (or `rediss://` for TLS) URL, as
 * BullMQ workers need them: commands wait for a reconnect instead of failing (a Redis restart is
 * survived), and every BullMQ object opens its own connections from these options.
 */
export function connectionOf(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`not a Redis URL: ${JSON.stringify(url)} (expected redis://host:port)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new TypeError(`not a Redis URL: ${JSON.stringify(url)} (expected redis:// or rediss://)`);
  }
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new TypeError(`Redis URL ${JSON.stringify(url)}: the path must be a database number`);
  return {
    host: parsed.hostname === '' ? '127.0.0.1' : parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    ...(parsed.username === '' ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === '' ? {} : { password: decodeURIComponent(parsed.password) }),
    ...(db === '' ? {} : { db: Number(db) }),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    // Reconnect quickly after a Redis restart: at most one second between tries.
    retryStrategy: (times: number) => Math.min(50 * times, 1000),
  };
}
