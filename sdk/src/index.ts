// @unionpoint/sdk: a typed client for the Unionpoint API, generated from its OpenAPI document.
export { createClient } from './client.ts';
export type { ClientOptions, Input, ListOperation, RequestOptions, Result, UnionpointClient } from './client.ts';
export { UnionpointError, UnionpointNetworkError } from './errors.ts';
export type { ErrorCode, Problem } from './errors.ts';
export { verifyWebhook, WebhookVerificationError } from './webhooks.ts';
export type { EventType, WebhookEvent } from './webhooks.ts';
export { OPERATIONS } from './generated/operations.ts';
export type { OperationName } from './generated/operations.ts';
export type { components, operations, paths, webhooks } from './generated/api-types.ts';
