import pino from 'pino';
import { createDb } from '@unionpoint/db';
import { unsafeEnsurePlatformAdmin } from '@unionpoint/core/auth';
import { createApp, listen } from './app.ts';
import { LOG_REDACT_PATHS } from './http/logging.ts';
import { startConfigListener } from './http/config-listener.ts';
import { ApiKeyCache } from './http/api-key-cache.ts';
import { connectApiRedis } from './http/redis.ts';
import { ReadReplica } from './http/replica.ts';
import { loadConfig } from './config.ts';
import { redisTargetFromEnv } from '@unionpoint/worker';

const config = loadConfig();
// Credentials never reach the logs: API keys, session cookies and the CSRF token are redacted.
const logger = pino({
  level: config.logLevel,
  name: 'api',
  redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' },
});
const db = createDb();
const redisTarget = redisTargetFromEnv();
const redis = redisTarget ? connectApiRedis(redisTarget) : null;
redis?.on('error', (err) => logger.warn({ err: err.message }, 'redis unavailable'));
if (config.platformAdmin) await unsafeEnsurePlatformAdmin(db.prisma, config.platformAdmin.email, config.platformAdmin.password);

// Reads of the routes marked `replica` go to DATABASE_REPLICA_URL while it keeps up (http/replica.ts).
// The probe has a connection of its own to the primary: a busy pool must not make the replica look behind.
const probeDb = config.replicaUrl ? createDb({ max: 1 }) : null;
const replica = config.replicaUrl ? new ReadReplica(createDb({ url: config.replicaUrl, connectionWaitMs: 2000 }), probeDb!, redis, logger, config.replica) : null;
await replica?.start();

const apiKeyCache = new ApiKeyCache();
const app = createApp({ db, redis, config, logger, apiKeyCache, replica });
const configListener = await startConfigListener(db, logger, { apiKeyCache });
const server = listen(app, config.port, () => logger.info({ port: config.port }, `API listening on http://localhost:${config.port}`));

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  logger.info({ signal }, 'shutting down');
  server.close();
  await Promise.allSettled([configListener.close(), db.close(), replica?.close().then(() => probeDb?.close()), redis?.quit()]);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
