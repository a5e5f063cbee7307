// Where a primary's WAL is and how far a streaming replica has replayed it: what the API's read
// routing compares to know which writes a replica already holds.
import type pg from 'pg';

/** A WAL position `X/Y` (two hex halves) as one number, comparable. */
export function parseLsn(lsn: string): bigint {
  const [hi = '0', lo = '0'] = lsn.split('/');
  return (BigInt(`0x${hi}`) << 32n) | BigInt(`0x${lo}`);
}

/**
 * The primary's current WAL write position: every transaction that has committed (and been
 * acknowledged) before this call lies at or before it.
 */
export async function primaryWalPosition(pool: pg.Pool): Promise<bigint> {
  const r = await pool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  return parseLsn(r.rows[0]!.lsn);
}

/**
 * How far a replica has replayed: null when the server is not a standby (not in recovery), so
 * nothing says it follows the primary.
 */
export async function replicaReplayPosition(pool: pg.Pool): Promise<bigint | null> {
  const r = await pool.query<{ standby: boolean; lsn: string | null }>('SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS lsn');
  const row = r.rows[0]!;
  return row.standby && row.lsn ? parseLsn(row.lsn) : null;
}
