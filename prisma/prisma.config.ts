// Prisma CLI configuration. The CLI runs on the wasm schema engine with the pg driver adapter
// (no native engine download). The adapter is built from separate connection fields: a
// connectionString breaks the shadow database that `migrate dev` creates.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';
import { databaseUrl, poolConfigFromUrl } from './src/connection.ts';

// The schema's datasource reads DATABASE_URL even for `generate`; give it the local default.
process.env.DATABASE_URL ||= databaseUrl();

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(import.meta.dirname, 'schema'),
  migrations: { path: path.join(import.meta.dirname, 'migrations') },
  adapter: async () => new PrismaPg(poolConfigFromUrl(databaseUrl())),
});
