// The worker process (`npm run worker`, worker/src/main.ts): queues, workers and schedules, its
// /metrics on METRICS_PORT, tracing when an OTLP endpoint is configured, and a graceful shutdown
// on SIGINT/SIGTERM: it stops taking jobs, lets the active ones finish (up to
// SHUTDOWN_TIMEOUT_MS, then exits 1), closes the queues and the pool, and exits 0. `now` fixes
// the daily jobs' clock (a fault test's child process); production runs on the wall clock.
import pino from 'pino';
import { createDb, startTracing, stopTracing } from '@unionpoint/db';
import { loadWorkerConfig } from './config.ts';
import { startWorker, type WorkerRuntime } from './runtime.ts';
import { createRegistry, createWorkerMetrics, instrumentPool, startMetricsServer, type MetricsServer } from './metrics.ts';

export async function runWorkerProcess(options: { now?: () => Date } = {}): Promise<void> {
  const config = loadWorkerConfig();
  const logger = pino({ name: 'worker', level: config.logLevel });
  const tracing = await startTracing({ serviceName: 'unionpoint-worker' });
  const db = createDb();
  const registry = createRegistry('worker', { processMetrics: true });
  instrumentPool(registry, db.pool, 'main');
  let runtime: WorkerRuntime | null = null;
  const metrics = createWorkerMetrics(registry, { queues: () => runtime?.queues ?? {}, pool: db.pool });
  runtime = startWorker({ db, config, logger, metrics, ...(options.now ? { now: options.now } : {}) });
  let metricsServer: MetricsServer | null = null;

  let closing = false;
  async function shutdown(signal: string) {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'worker shutting down: finishing active jobs');
    const timer = setTimeout(() => {
      logger.error(
        { timeoutMs: config.shutdownTimeoutMs },
        'shutdown timed out: exiting with jobs still active (they run again once their lock lapses)',
      );
      process.exit(1);
    }, config.shutdownTimeoutMs);
    await runtime!.close();
    await metricsServer?.close();
    await db.close();
    await stopTracing();
    clearTimeout(timer);
    logger.info('worker stopped');
    process.exit(0);
  }
  // Before the rest of the start-up: the workers take jobs from here on, and a SIGTERM that
  // came while the schedules were still being set up used to end the process at once (Node's
  // default), a delivery in flight with it.
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    if (config.metricsPort !== null) {
      metricsServer = await startMetricsServer(registry, { port: config.metricsPort, token: config.metricsToken, logger });
      logger.info({ port: metricsServer.port, token: config.metricsToken !== null }, 'metrics on /metrics');
    }
    if (closing) return;
    await runtime.scheduleRecurring();
    if (closing) return;
    await runtime.enqueue('schedules.sync', {}, { jobId: `schedules.sync.boot.${Date.now()}` });
    if (closing) return;
    logger.info({ backend: runtime.backend.kind, tracing }, 'worker started');
  } catch (err) {
    // A start-up step cut short by the shutdown (its queue closed): the shutdown ends the process.
    if (closing) return;
    throw err;
  }
}
