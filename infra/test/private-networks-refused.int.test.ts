// WEBHOOK_ALLOW_PRIVATE_NETWORKS=true with NODE_ENV=production: the API and the worker refuse to
// start (exit non-zero, naming the variable) before they open any connection.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

describe('WEBHOOK_ALLOW_PRIVATE_NETWORKS in production', () => {
  it.each(['api/src/main.ts', 'worker/src/main.ts'])('%s does not start', (entry) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', entry], {
      cwd: root,
      encoding: 'utf8',
      timeout: 30_000,
      // Unreachable services: a process that got past its configuration would hang or fail differently.
      env: { PATH: process.env.PATH, NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none', REDIS_URL: 'redis://127.0.0.1:1' },
    });
    expect(run.status).not.toBe(0);
    expect(run.signal).toBeNull();
    expect(run.stderr).toMatch(/WEBHOOK_ALLOW_PRIVATE_NETWORKS=true is refused when NODE_ENV=production/);
  });
});
