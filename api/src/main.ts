// The API process (`npm run api`; built: api/dist/main.js). Graceful shutdown on SIGTERM/SIGINT:
// the listener closes at once (new connections are refused), requests in flight finish (idle
// keep-alive connections are closed as they free up), and after SHUTDOWN_TIMEOUT_MS the
// remaining connections are cut; then the config listener, the pool, Redis, the metrics server
// and tracing close, and the process exits 0.
import pino from 'pino';
import { createDb, startTracing, stopTracing } from '@unionpoint/db';
import { unsafeEnsurePlatformAdmin } from '@unionpoint/core/auth';
import { createRegistry, startMetricsServer, type MetricsServer } from '@unionpoint/worker';
import { createApp, listen } from './app.ts';
import { LOG_REDACT_PATHS } from './http/logging.ts';
import { startConfigListener } from './http/config-listener.ts';
import { ApiKeyCache } from './http/api-key-cache.ts';
import { connectApiRedis } from './http/redis.ts';
import { createApiMetrics } from './http/metrics.ts';
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
const tracing = await startTracing({ serviceName: 'unionpoint-api' });
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
const metrics = createApiMetrics(db, { registry: createRegistry('api', { processMetrics: true }) });
const app = createApp({ db, redis, config, logger, apiKeyCache, metrics, replica });
const configListener = await startConfigListener(db, logger, { apiKeyCache });
let metricsServer: MetricsServer | null = null;
if (config.metricsPort !== null) {
  metricsServer = await startMetricsServer(metrics.registry, { port: config.metricsPort, token: config.metricsToken, logger });
  logger.info({ port: metricsServer.port }, 'metrics on /metrics');
}
const server = listen(app, config.port, () =>
  logger.info({ port: config.port, tracing }, `API listening on http://localhost:${config.port}`),
);

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down: finishing requests in flight');
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // A keep-alive connection is closed as soon as it has no request in flight.
  server.closeIdleConnections();
  const idle = setInterval(() => server.closeIdleConnections(), 50);
  const cut = setTimeout(() => {
    logger.warn('shutdown timeout: cutting the connections still open');
    server.closeAllConnections();
  }, config.shutdownTimeoutMs);
  await closed;
  clearInterval(idle);
  clearTimeout(cut);
  await Promise.allSettled([configListener.close(), db.close(), replica?.close().then(() => probeDb?.close()), redis?.quit(), metricsServer?.close()]);
  await stopTracing();
  logger.info('API stopped');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
