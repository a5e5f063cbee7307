import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('api config: WEBHOOK_ALLOW_PRIVATE_NETWORKS', () => {
  it('allows private webhook targets outside production', () => {
    expect(loadConfig({ NODE_ENV: 'development', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }).webhookAllowPrivateNetworks).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).webhookAllowPrivateNetworks).toBe(false);
  });
  it('refuses to load with NODE_ENV=production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' })).toThrow(/NODE_ENV=production/);
  });
});
