// Defence in depth: webhooks are tenant-wide (every store's events), so the use cases refuse a
// store-bound key themselves, before any query, whatever the route's access list says.
import { describe, expect, it } from 'vitest';
import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { createWebhook, deleteWebhook, listWebhooks } from './webhook-endpoints.ts';
import { listWebhookDeliveries, replayWebhookDelivery } from './webhook-deliveries.ts';

const touched: string[] = [];
// A transaction that records any use: a refusal must come before the first query.
const tx = new Proxy({} as Tx, {
  get: (_t, prop) => {
    touched.push(String(prop));
    throw new Error(`the transaction was used (${String(prop)})`);
  },
});
const storeKey: TenantContext = { tenantId: 'ten_1', actor: { type: 'api_key', id: 'key_pos' }, boundStoreId: 'sto_1' };

describe('webhook use cases refuse a store-bound key', () => {
  const calls: [string, () => Promise<unknown>][] = [
    ['createWebhook', () => createWebhook(tx, storeKey, { url: 'https://hooks.example.com/x', events: ['member.created'] }, { allowPrivateNetworks: false })],
    ['listWebhooks', () => listWebhooks(tx, storeKey, { limit: 10 })],
    ['deleteWebhook', () => deleteWebhook(tx, storeKey, 'whk_1')],
    ['listWebhookDeliveries', () => listWebhookDeliveries(tx, storeKey, 'whk_1', { limit: 10 })],
    ['replayWebhookDelivery', () => replayWebhookDelivery(tx, storeKey, 'whk_1', 'dlv_1')],
  ];
  it.each(calls)('%s: 403 forbidden before any query', async (_name, call) => {
    touched.length = 0;
    const error = await call().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('forbidden');
    expect((error as AppError).status).toBe(403);
    expect(touched).toEqual([]);
  });
});
