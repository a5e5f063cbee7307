// A private Postgres 15 cluster for fault tests: initdb in a temp folder, started with pg_ctl on
// a free port, so a test can stop and restart it under load without touching the shared server.
// initdb and pg_ctl refuse to run as root: as root they run as the `postgres` OS user.
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

function binDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  return '/usr/lib/postgresql/15/bin';
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface PrivatePostgres {
  port: number;
  /** postgresql://postgres@127.0.0.1:port/<database> */
  url(database?: string): string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the cluster if it runs and removes its folder; safe to call twice. */
  destroy(): Promise<void>;
}

/**
 * A cluster folder of its own (owned by `postgres` when run as root), a free port, and the
 * pg_ctl lifecycle on them: what a private primary and a private replica share. `options` are
 * the server settings beyond the port, socket folder, fsync=off and 60 connections.
 */
export async function privateClusterFolder(prefix: string, options = '') {
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'postgres.log');
  if (asRoot) {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    chownSync(dir, uid, gid);
  }
  const pgRun = (bin: string, args: string[]) => {
    const file = path.join(binDir(), bin);
    return asRoot ? run('runuser', ['-u', 'postgres', '--', file, ...args]) : run(file, args);
  };
  const port = await freePort();
  const serverOptions = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c max_connections=60 ${options}`.trim();
  let running = false;
  const lifecycle = {
    async start() {
      await pgRun('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '30', '-o', serverOptions, 'start']);
      running = true;
    },
    async stop() {
      // A fast shutdown: open sessions get 57P01 (admin shutdown), as in a real restart.
      await pgRun('pg_ctl', ['-D', data, '-w', '-t', '30', '-m', 'fast', 'stop']);
      running = false;
    },
    /** Stops the cluster if it runs and removes its folder; safe to call twice. */
    async destroy() {
      if (running && existsSync(data)) await lifecycle.stop().catch(() => pgRun('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch(() => {}));
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return { dir, data, port, pgRun, url: (database = 'postgres') => `postgresql://postgres@127.0.0.1:${port}/${database}`, ...lifecycle };
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const folder = await privateClusterFolder('up-fault-pg-');
  const cluster: PrivatePostgres = { port: folder.port, url: folder.url, start: folder.start, stop: folder.stop, destroy: folder.destroy };
  try {
    await folder.pgRun('initdb', ['-D', folder.data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    await cluster.start();
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
  return cluster;
}

/** Creates `name` on the cluster (owner connection). */
export async function createDatabase(cluster: PrivatePostgres, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: cluster.url('postgres') });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  return cluster.url(name);
}
