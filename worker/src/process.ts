// The worker process (`npm run worker`, worker/src/main.ts): queues, workers and schedules, and a
// graceful shutdown on SIGINT/SIGTERM. `now` fixes the daily jobs' clock (a fault test's child
// process); production runs on the wall clock.
import pino from 'pino';
import { createDb } from '@unionpoint/db';
import { loadWorkerConfig } from './config.ts';
import { startWorker } from './runtime.ts';

export async function runWorkerProcess(options: { now?: () => Date } = {}): Promise<void> {
  const config = loadWorkerConfig();
  const logger = pino({ name: 'worker', level: config.logLevel });
  const db = createDb();
  const runtime = startWorker({ db, config, logger, ...(options.now ? { now: options.now } : {}) });
  await runtime.scheduleRecurring();
  await runtime.enqueue('schedules.sync', {}, { jobId: `schedules.sync.boot.${Date.now()}` });
  logger.info({ backend: runtime.backend.kind }, 'worker started');

  let closing = false;
  async function shutdown(signal: string) {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'worker shutting down: finishing active jobs');
    const timer = setTimeout(() => {
      logger.error('shutdown timed out');
      process.exit(1);
    }, 30_000);
    await runtime.close();
    await db.close();
    clearTimeout(timer);
    process.exit(0);
  }
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
