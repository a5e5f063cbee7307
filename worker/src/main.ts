// Worker process: `npm run worker`. Queues, workers and schedules; see worker/README.md for the
// environment it reads.
import pino from 'pino';
import { createDb } from '@unionpoint/db';
import { loadWorkerConfig } from './config.ts';
import { startWorker } from './runtime.ts';

const config = loadWorkerConfig();
const logger = pino({ name: 'worker', level: config.logLevel });
const db = createDb();
const runtime = startWorker({ db, config, logger });
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
