import type { PoolConfig } from 'pg';

/** The default for local development and tests: the machine's own Postgres, trust auth. */
export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/unionpoint';

export function databaseUrl(): string {
  return process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
}

/**
 * Splits a URL into the separate fields node-postgres takes. Prisma's shadow database and
 * the test-database cloning both rewrite `database`, which is only reliable field by field.
 */
export function poolConfigFromUrl(url: string, overrides: PoolConfig = {}): PoolConfig {
  const u = new URL(url);
  const config: PoolConfig = {
    host: decodeURIComponent(u.hostname) || '127.0.0.1',
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username) || 'postgres',
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
  };
  if (u.password) config.password = decodeURIComponent(u.password);
  const host = u.searchParams.get('host');
  if (host) config.host = host; // unix socket directory
  const ssl = u.searchParams.get('sslmode');
  if (ssl && ssl !== 'disable') config.ssl = { rejectUnauthorized: ssl === 'verify-full' };
  return { ...config, ...overrides };
}

/** The same URL pointing at another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
