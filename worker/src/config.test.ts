import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from './config.ts';
import { PACK_BATCH_SIZE } from '@unionpoint/core/benefits';

describe('worker config: WEBHOOK_ALLOW_PRIVATE_NETWORKS', () => {
  it('allows private webhook targets outside production', () => {
    expect(loadWorkerConfig({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: '1' }).webhookAllowPrivateNetworks).toBe(true);
    expect(loadWorkerConfig({ NODE_ENV: 'production' }).webhookAllowPrivateNetworks).toBe(false);
  });
  it('refuses to load with NODE_ENV=production', () => {
    expect(() => loadWorkerConfig({ NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' })).toThrow(/NODE_ENV=production/);
  });
});

describe('worker config: PACK_BATCH_SIZE', () => {
  it('defaults to the benefits module batch and reads the variable', () => {
    expect(loadWorkerConfig({}).packBatchSize).toBe(PACK_BATCH_SIZE);
    expect(loadWorkerConfig({ PACK_BATCH_SIZE: '25' }).packBatchSize).toBe(25);
    expect(loadWorkerConfig({ PACK_BATCH_SIZE: '0' }).packBatchSize).toBe(1);
  });
});
