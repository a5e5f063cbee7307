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
  options: { apiKeyCache?: ApiKeyCache | undefined; retryMs?: { first: number; max: number } } = {},
): Promise<{ close(): Promise<void> }> {
  const keys = options.apiKeyCache;
  const backoff = options.retryMs ?? { first: 250, max: 5_000 };
  /** The connected session, and how to let it go without the loss handler reacting. */
  let current: { client: pg.PoolClient; retire(): boolean } | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  let delay = backoff.first;
  const distrust = () => {
    setConfigListenerActive(false);
    keys?.setListenerActive(false);
  };
  // Until closed, a lost or failed connection is retried with a capped exponential backoff; the
  // caches stay distrusted (every quote checks programs.version, keys are read) meanwhile.
  const scheduleRetry = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      void connect().catch((err: Error) => {
        logger.warn({ err: err.message, retryInMs: delay }, 'config listener could not reconnect');
        scheduleRetry();
      });
    }, delay);
    retry.unref();
    delay = Math.min(delay * 2, backoff.max);
  };
  const connect = async () => {
    // One pooled connection held for good: LISTEN needs a session of its own.
    const c = await db.pool.connect();
    let lost = false;
    const retire = () => (lost ? false : (lost = true));
    const onLost = (err: Error) => {
      if (!retire()) return;
      if (current?.client === c) current = null;
      logger.warn({ err: err.message }, 'config listener lost; falling back to version checks');
      distrust();
      c.release(err);
      scheduleRetry();
    };
    c.on('notification', (msg) => {
      if (msg.channel === AUTH_CHANNEL) keys?.invalidate(msg.payload || undefined);
      else invalidatePricingConfig(msg.payload || undefined);
    });
    c.on('error', onLost);
    c.on('end', () => onLost(new Error('Connection terminated')));
    try {
      await c.query(keys ? `LISTEN unionpoint_config; LISTEN ${AUTH_CHANNEL}` : 'LISTEN unionpoint_config');
    } catch (err) {
      if (retire()) c.release(err as Error);
      throw err;
    }
    if (lost) throw new Error('config listener connection lost while subscribing');
    if (closed) {
      if (retire()) c.release(true);
      return;
    }
    current = { client: c, retire };
    delay = backoff.first;
    // Changes made while not listening are unknown: start from an empty cache.
    invalidatePricingConfig();
    setConfigListenerActive(true);
    keys?.setListenerActive(true);
    logger.info('config listener connected');
  };
  await connect();
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      distrust();
      const c = current;
      current = null;
      if (c?.retire()) c.client.release(true);
    },
  };
}
