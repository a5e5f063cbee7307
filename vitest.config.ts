import { defineConfig } from 'vitest/config';

// Two projects: `unit` (*.test.ts, pure logic, no database) and `int` (*.int.test.ts, against
// the real local Postgres and Redis; each file clones its own database from the template).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{core,api,worker,sdk,prisma,infra,bench}/**/*.test.ts', 'web/src/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'int',
          include: ['{core,api,worker,sdk,prisma,infra,bench}/**/*.int.test.ts'],
          exclude: ['**/node_modules/**'],
          environment: 'node',
          globalSetup: ['./infra/test/global-setup.ts', './prisma/test/global-setup.ts'],
          // A test that starts a second API builds a second database: on Citus that takes its turn.
          testTimeout: process.env.TEST_CITUS_WORKERS ? 900_000 : 60_000,
          // On Citus (TEST_CITUS_WORKERS) each file's database is built one at a time: a file may wait for others.
          hookTimeout: process.env.TEST_CITUS_WORKERS ? 1_800_000 : 120_000,
          pool: 'forks',
          maxWorkers: 3,
          env: { NODE_ENV: 'test' },
        },
      },
    ],
  },
});
