// A streaming replica of a private Postgres cluster (private-postgres.ts) for tests: a base
// backup taken with the machine's pg_basebackup (-R: standby.signal and primary_conninfo written
// for it), started as a hot standby with pg_ctl on a free port in its own temp folder. As root,
// the binaries run as the `postgres` OS user, like the primary's. The shared server is never used.
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort, type PrivatePostgres } from './private-postgres.ts';

const run = promisify(execFile);
const binDir = () => process.env.PG_BIN || '/usr/lib/postgresql/15/bin';

export interface PrivateReplica {
  port: number;
  url(database?: string): string;
  /** Runs one statement on the replica (owner connection) and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, database?: string): Promise<T[]>;
  /** pg_wal_replay_pause() / pg_wal_replay_resume(): the replica stops (or goes on) applying the primary's WAL. */
  pauseReplay(database?: string): Promise<void>;
  resumeReplay(database?: string): Promise<void>;
  /** Resolves once the replica has replayed everything the primary had written when called. */
  caughtUp(primary: PrivatePostgres, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startPrivateReplica(primary: PrivatePostgres): Promise<PrivateReplica> {
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'up-replica-pg-'));
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
  // hot_standby_feedback: the primary keeps rows a replica query still reads (fewer cancellations).
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c max_connections=60 -c hot_standby=on -c hot_standby_feedback=on`;
  let running = false;
  const url = (database = 'postgres') => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  const query = async <T,>(sql: string, database = 'postgres'): Promise<T[]> => {
    const client = new pg.Client({ connectionString: url(database) });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const replica: PrivateReplica = {
    port,
    url,
    query,
    async pauseReplay(database) {
      await query('SELECT pg_wal_replay_pause()', database);
    },
    async resumeReplay(database) {
      await query('SELECT pg_wal_replay_resume()', database);
    },
    async caughtUp(of, timeoutMs = 30_000) {
      const client = new pg.Client({ connectionString: of.url('postgres') });
      await client.connect();
      let target: string;
      try {
        target = (await client.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
      } finally {
        await client.end();
      }
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const [row] = await query<{ ok: boolean }>(`SELECT pg_last_wal_replay_lsn() >= '${target}'::pg_lsn AS ok`).catch(() => [{ ok: false }]);
        if (row?.ok) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`the replica did not replay up to ${target}`);
    },
    async start() {
      await pgRun('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '30', '-o', options, 'start']);
      running = true;
    },
    async stop() {
      await pgRun('pg_ctl', ['-D', data, '-w', '-t', '30', '-m', 'fast', 'stop']);
      running = false;
    },
    async destroy() {
      if (running && existsSync(data)) await replica.stop().catch(() => pgRun('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch(() => {}));
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await pgRun('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', data, '-R', '-X', 'stream', '-c', 'fast', '--no-sync']);
    await replica.start();
  } catch (error) {
    await replica.destroy();
    throw error;
  }
  return replica;
}
