// A streaming replica of a private Postgres cluster (private-postgres.ts) for tests: a base
// backup taken with the machine's pg_basebackup (-R: standby.signal and primary_conninfo written
// for it), started as a hot standby with pg_ctl on a free port in its own temp folder. As root,
// the binaries run as the `postgres` OS user, like the primary's. The shared server is never used.
import pg from 'pg';
import { privateClusterFolder, type PrivatePostgres } from './private-postgres.ts';


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
  // hot_standby_feedback: the primary keeps rows a replica query still reads (fewer cancellations).
  const folder = await privateClusterFolder('up-replica-pg-', '-c hot_standby=on -c hot_standby_feedback=on');
  const { port, url } = folder;
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
    start: folder.start,
    stop: folder.stop,
    destroy: folder.destroy,
  };
  try {
    await folder.pgRun('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', folder.data, '-R', '-X', 'stream', '-c', 'fast', '--no-sync']);
    await replica.start();
  } catch (error) {
    await replica.destroy();
    throw error;
  }
  return replica;
}
