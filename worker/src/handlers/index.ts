import type { HandlerMap } from '../handler-types.ts';
import { webhookHandlers } from './webhooks.ts';
import { scheduleHandlers } from './schedules.ts';
import { retentionHandlers } from './retention.ts';
import { importHandlers } from './imports.ts';
import { ledgerHandlers } from './ledger.ts';
import { giftHandlers } from './gifts.ts';
import { analyticsHandlers } from './analytics.ts';
import { benefitHandlers } from './benefits.ts';

const JOB_HANDLERS: HandlerMap = { ...webhookHandlers, ...retentionHandlers, ...ledgerHandlers, ...giftHandlers, ...analyticsHandlers, ...benefitHandlers, ...importHandlers };
export const HANDLERS: HandlerMap = { ...JOB_HANDLERS, ...scheduleHandlers(JOB_HANDLERS) };
