import type { HandlerMap } from '../runtime.ts';
import { webhookHandlers } from './webhooks.ts';
import { scheduleHandlers } from './schedules.ts';
import { retentionHandlers } from './retention.ts';
import { ledgerHandlers } from './ledger.ts';
import { giftHandlers } from './gifts.ts';
import { analyticsHandlers } from './analytics.ts';

export const HANDLERS: HandlerMap = { ...webhookHandlers, ...scheduleHandlers, ...retentionHandlers, ...ledgerHandlers, ...giftHandlers, ...analyticsHandlers };
