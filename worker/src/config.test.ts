import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from './config.ts';

describe('worker config: WEBHOOK_ALLOW_PRIVATE_NETWORKS', () => {
  it('allows private webhook targets outside production', () => {
    expect(loadWorkerConfig({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: '1' }).webhookAllowPrivateNetworks).toBe(true);
    expect(loadWorkerConfig({ NODE_ENV: 'production' }).webhookAllowPrivateNetworks).toBe(false);
  });
  it('refuses to load with NODE_ENV=production', () => {
    expect(() => loadWorkerConfig({ NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' })).toThrow(/NODE_ENV=production/);
  });
});
