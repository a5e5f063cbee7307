import type { HandlerMap } from '../runtime.ts';
import { webhookHandlers } from './webhooks.ts';
import { scheduleHandlers } from './schedules.ts';
import { retentionHandlers } from './retention.ts';

export const HANDLERS: HandlerMap = { ...webhookHandlers, ...scheduleHandlers, ...retentionHandlers };
