import { defineConfig } from 'vitest/config';

// Two projects: `unit` (*.test.ts, pure logic, no database) and `int` (*.int.test.ts, against
// the real local Postgres and Redis; each file clones its own database from the template).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{core,api,worker,prisma,infra,bench}/**/*.test.ts', 'web/src/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'int',
          include: ['{core,api,worker,prisma,infra}/**/*.int.test.ts'],
          exclude: ['**/node_modules/**'],
          environment: 'node',
          globalSetup: ['./infra/test/global-setup.ts', './prisma/test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
          maxWorkers: 3,
          env: { NODE_ENV: 'test' },
        },
      },
    ],
  },
});
