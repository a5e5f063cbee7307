export { startWorker } from './runtime.ts';
export type { WorkerRuntime, WorkerContext, HandlerMap } from './runtime.ts';
export { loadWorkerConfig } from './config.ts';
export type { WorkerConfig } from './config.ts';
export { createQueueBackend, redisConnection } from './backend.ts';
export type { QueueBackend } from './backend.ts';
export { JOBS, QUEUE_NAMES, DAILY_TENANT_JOBS, jobKey } from './jobs/catalogue.ts';
export { connectRedis, connectCluster, parseClusterNodes, queuePrefix, redisTargetFromEnv, describeRedisTarget } from './redis.ts';
export type { RedisTarget } from './redis.ts';
