// Worker process entry. Queues and schedules are registered in worker/src/queues.
import pino from 'pino';

const logger = pino({ name: 'worker', level: process.env.LOG_LEVEL ?? 'info' });
logger.info('worker started with no queues registered');
const timer = setInterval(() => {}, 1 << 30);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => clearInterval(timer));
