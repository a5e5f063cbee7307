// What a job handler is and gets. Its own file so that the handlers and the runtime that runs
// them both import it without importing each other.
import type { Job, JobsOptions, Queue } from 'bullmq';
import type pino from 'pino';
import type { Db } from '@unionpoint/db';
import type { WorkerConfig } from './config.ts';
import type { JobName, JobPayload, QueueName } from './jobs/catalogue.ts';

export interface Enqueue {
  <N extends JobName>(name: N, payload: JobPayload<N>, options?: Pick<JobsOptions, 'jobId' | 'delay'>): Promise<void>;
  bulk<N extends JobName>(name: N, jobs: { payload: JobPayload<N>; jobId: string; delay?: number }[]): Promise<void>;
}

/** What a handler gets: the database, configuration, a logger, a typed enqueue and the clock. */
export interface WorkerContext {
  db: Db;
  config: WorkerConfig;
  logger: pino.Logger;
  enqueue: Enqueue;
  queues: Record<QueueName, Queue>;
  /** The time the daily jobs act at (the wall clock; tests fix it). */
  now: () => Date;
}

export type Handler<N extends JobName> = (payload: JobPayload<N>, ctx: WorkerContext, job: Job) => Promise<unknown>;
export type HandlerMap = { [N in JobName]?: Handler<N> };
