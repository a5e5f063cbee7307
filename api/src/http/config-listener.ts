import type pg from 'pg';
import type pino from 'pino';
import type { Db } from '@unionpoint/db';
import { invalidatePricingConfig, setConfigListenerActive } from '@unionpoint/core/quotes';
import { AUTH_CHANNEL, type ApiKeyCache } from './api-key-cache.ts';

/**
 * LISTEN unionpoint_config on a dedicated connection: every program or ladder change
 * (pg_notify in the changing transaction, delivered at commit) drops that tenant's cached
 * pricing config in this process. While the listener is connected the quote path trusts the
 * cache; when it drops, the cache is cleared and every quote checks programs.version until
 * the listener is back.
 *
 * With `apiKeyCache`, the same connection also LISTENs on unionpoint_auth (API key revoked,
 * tenant suspended or reactivated: payload = tenant id) and drops that tenant's cached keys;
 * the key cache is trusted only while this listener is connected.
 */
export async function startConfigListener(
  db: Db,
  logger: pino.Logger,
  options: { apiKeyCache?: ApiKeyCache | undefined } = {},
): Promise<{ close(): Promise<void> }> {
  const keys = options.apiKeyCache;
  let client: pg.PoolClient | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  const connect = async () => {
    // One pooled connection held for good: LISTEN needs a session of its own.
    const c = await db.pool.connect();
    c.on('notification', (msg) => {
      if (msg.channel === AUTH_CHANNEL) keys?.invalidate(msg.payload || undefined);
      else invalidatePricingConfig(msg.payload || undefined);
    });
    c.on('error', (err) => {
      logger.warn({ err: err.message }, 'config listener lost; falling back to version checks');
      setConfigListenerActive(false);
      keys?.setListenerActive(false);
      c.release(true);
      if (!closed) retry = setTimeout(() => void connect().catch(() => {}), 1000);
    });
    await c.query(keys ? `LISTEN unionpoint_config; LISTEN ${AUTH_CHANNEL}` : 'LISTEN unionpoint_config');
    client = c;
    // Changes made while not listening are unknown: start from an empty cache.
    invalidatePricingConfig();
    setConfigListenerActive(true);
    keys?.setListenerActive(true);
  };
  await connect();
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      setConfigListenerActive(false);
      keys?.setListenerActive(false);
      client?.release(true);
    },
  };
}
