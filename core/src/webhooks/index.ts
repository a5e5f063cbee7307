export { emitEvent, emitEvents, outboxRowsFromSelectSql, EVENT_TYPES } from './emit-event.ts';
export type { EventType, OutboxEventInput, OutboxSelect } from './emit-event.ts';
export * from './webhooks.contract.ts';
export { createWebhook, listWebhooks, deleteWebhook, toWebhookDto } from './webhook-endpoints.ts';
export type { WebhookOptions } from './webhook-endpoints.ts';
export { listWebhookDeliveries, replayWebhookDelivery, sendTestWebhookEvent, TEST_LANE } from './webhook-deliveries.ts';
export { EVENT_DATA_SCHEMAS, EVENT_SAMPLES, eventEnvelopeSchema } from './event-schemas.ts';
export { signWebhook, verifyWebhookSignature, generateWebhookSecret } from './signature.ts';
export { nextAttemptAt, RETRY_DELAYS_MS, RETRY_WINDOW_MS } from './retry-schedule.ts';
export {
  allowPrivateNetworksFromEnv,
  assertDeliverableUrl,
  embeddedIPv4,
  isPrivateAddress,
  resolveDeliverableUrl,
  systemResolver,
  type ResolvedAddress,
  type Resolver,
} from './url-safety.ts';
export { unsafeRelayOutbox, unsafeFindDueLanes } from './unsafe-relay-outbox.ts';
export type { RelayResult, LaneRef, DueDelivery } from './unsafe-relay-outbox.ts';
export { unsafeDeliverLane, unsafeDeliverLanes } from './unsafe-deliver-lane.ts';
export type { DeliverOptions, LaneOutcome, LaneKey, AttemptInfo, AroundAttempt } from './unsafe-deliver-lane.ts';
export { unsafeOutboxLag } from './unsafe-outbox-lag.ts';
export type { OutboxLag } from './unsafe-outbox-lag.ts';
