// Test databases: one template per migrations checksum, built by the real `prisma migrate
// deploy` (so roles, grants and RLS policies are in it), and one clone per test file.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { poolConfigFromUrl, withDatabase } from './connection.ts';

const run = promisify(execFile);
const prismaDir = path.resolve(import.meta.dirname, '..');
const migrationsDir = path.join(prismaDir, 'migrations');

/** The server tests run against: TEST_DATABASE_URL, else DATABASE_URL, else local defaults. */
export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
}

function migrationsChecksum(): string {
  const hash = createHash('sha256');
  for (const dir of readdirSync(migrationsDir).sort()) {
    const file = path.join(migrationsDir, dir, 'migration.sql');
    if (statSync(path.join(migrationsDir, dir)).isDirectory()) {
      hash.update(dir);
      hash.update(readFileSync(file));
    }
  }
  return hash.digest('hex').slice(0, 12);
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(poolConfigFromUrl(withDatabase(testServerUrl(), 'postgres')));
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function databaseExists(client: pg.Client, name: string): Promise<boolean> {
  const r = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return r.rowCount === 1;
}

/** Applies the project's migrations to `url` with the Prisma CLI. */
export async function migrateDeploy(url: string): Promise<void> {
  const require = createRequire(import.meta.url);
  const cli = require.resolve('prisma/build/index.js');
  await run(process.execPath, [cli, 'migrate', 'deploy'], {
    cwd: prismaDir,
    env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** Builds the template database once per migrations checksum; safe across processes. */
export async function ensureTemplateDatabase(): Promise<string> {
  if (citusWorkers().length) return ''; // no template on Citus: see createCitusTestDatabase
  const name = `up_tpl_${migrationsChecksum()}`;
  return admin(async (client) => {
    // Serialise builders across processes and worktrees on one server.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    try {
      if (await databaseExists(client, name)) return name;
      const building = `${name}_build_${randomBytes(3).toString('hex')}`;
      await client.query(`CREATE DATABASE "${building}"`);
      try {
        await migrateDeploy(withDatabase(testServerUrl(), building));
        await client.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      } catch (error) {
        await client.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
        throw error;
      }
      return name;
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
    }
  });
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * Citus workers of the test server, from TEST_CITUS_WORKERS (`host:port,host:port`), when the
 * test server (TEST_DATABASE_URL) is a Citus coordinator: the integration suites then run on a
 * database sharded by tenant_id (docs/SCALING.md "Citus").
 */
export function citusWorkers(): { host: string; port: number }[] {
  return (process.env.TEST_CITUS_WORKERS ?? '')
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean)
    .map((w) => {
      const [host, port] = w.split(':');
      return { host: host!, port: Number(port ?? 5432) };
    });
}

async function onServer<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(poolConfigFromUrl(url));
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * On Citus a database cannot be cloned from a template (the shards live in the workers' own
 * databases), so each test file gets a new one: created on the coordinator and every worker
 * with the extension, the workers added, the migrations applied and infra/citus/distribute.sql
 * run. TEST_CITUS_SHARDS (default 4) shards per table keep that quick.
 */
async function createCitusTestDatabase(workers: { host: string; port: number }[]): Promise<TestDatabase> {
  const name = `up_c_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
  const coordinator = new URL(testServerUrl());
  const workerUrl = (w: { host: string; port: number }, db: string) => {
    const u = new URL(withDatabase(testServerUrl(), db));
    u.hostname = w.host;
    u.port = String(w.port);
    return u.toString();
  };
  const nodes = [withDatabase(testServerUrl(), 'postgres'), ...workers.map((w) => workerUrl(w, 'postgres'))];
  // One database at a time across test processes: Citus's catalogue updates on the workers
  // (extension, roles, nodes) fail with "tuple concurrently updated" when two run at once.
  const lock = new pg.Client(poolConfigFromUrl(nodes[0]!));
  await lock.connect();
  await lock.query("SELECT pg_advisory_lock(hashtext('unionpoint citus test database'))");
  try {
    await buildCitusDatabase(name, nodes, coordinator, workers);
  } finally {
    await lock.end();
  }
  const url = withDatabase(testServerUrl(), name);
  return {
    name,
    url,
    drop: async () => {
      for (const node of nodes) await onServer(node, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).catch(() => {});
    },
  };
}

async function buildCitusDatabase(name: string, nodes: string[], coordinator: URL, workers: { host: string; port: number }[]): Promise<void> {
  for (const node of nodes) await onServer(node, (c) => c.query(`CREATE DATABASE "${name}"`));
  for (const node of nodes) await onServer(withDatabase(node, name), (c) => c.query('CREATE EXTENSION citus'));
  const url = withDatabase(testServerUrl(), name);
  await onServer(url, async (c) => {
    await c.query('SELECT citus_set_coordinator_host($1, $2)', [coordinator.hostname, Number(coordinator.port || 5432)]);
    for (const w of workers) await c.query('SELECT citus_add_node($1, $2)', [w.host, w.port]);
  });
  await migrateDeploy(url);
  const script = readFileSync(path.resolve(prismaDir, '../infra/citus/distribute.sql'), 'utf8');
  await onServer(url, async (c) => {
    await c.query(`SET citus.shard_count = ${Number(process.env.TEST_CITUS_SHARDS ?? 4)}`);
    await c.query('BEGIN');
    await c.query(script);
    await c.query('COMMIT');
  });
}

/**
 * A fresh database cloned from the template; drop it when the test file ends. On a Citus test
 * server it is distributed over the workers, unless `plain`: the tests of one migration's data
 * step rebuild the layout before it, which a distributed database does not have, and get a
 * database of the coordinator's own Postgres with every migration applied (no extension).
 */
export async function createTestDatabase(options: { plain?: boolean } = {}): Promise<TestDatabase> {
  const workers = citusWorkers();
  if (workers.length && !options.plain) return createCitusTestDatabase(workers);
  if (workers.length) {
    const name = `up_t_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
    await admin((client) => client.query(`CREATE DATABASE "${name}"`));
    const url = withDatabase(testServerUrl(), name);
    await migrateDeploy(url);
    return { name, url, drop: () => admin(async (client) => void (await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))) };
  }
  const template = await ensureTemplateDatabase();
  const name = `up_t_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return {
    name,
    url: withDatabase(testServerUrl(), name),
    drop: () => admin(async (client) => void (await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
  };
}

/** Drops test databases left by crashed runs: clones older than three hours. */
export async function dropStaleTestDatabases(): Promise<number> {
  return admin(async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'up\\_t\\_%'",
    );
    const cutoff = Math.floor(Date.now() / 1000) - 3 * 3600;
    let dropped = 0;
    for (const { datname } of rows) {
      const created = Number(/^up_t_(\d+)_/.exec(datname)?.[1] ?? NaN);
      if (Number.isFinite(created) && created < cutoff) {
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => {});
        dropped++;
      }
    }
    return dropped;
  });
}

/** Spans kept in memory, for tests of the tracing (startTracing({ exporter })). */
export { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
export type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
