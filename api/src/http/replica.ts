import type pino from 'pino';
import { PrimaryRequiredError } from '@unionpoint/core';
import { isDatabaseUnavailable, primaryWalPosition, replicaReplayPosition, withTenant, type Db, type Tx, type WithTenantOptions } from '@unionpoint/db';
import type { ApiRedis } from './redis.ts';
import { withDeadline } from './redis.ts';

export interface ReadReplicaOptions {
  /**
   * The most a replica may be behind and still serve reads (DATABASE_REPLICA_MAX_LAG_MS), and
   * how long a caller's reads stay on the primary after its own write.
   */
  maxLagMs: number;
  /** How often the replica's position is measured against the primary's (DATABASE_REPLICA_PROBE_MS). */
  probeMs: number;
}

export const DEFAULT_REPLICA_OPTIONS: ReadReplicaOptions = { maxLagMs: 1000, probeMs: 200 };

/** What the replica routing did, for /readyz and the tests. */
export interface ReplicaStats {
  /** Reads served by the replica. */
  replica: number;
  /** Replica-eligible reads sent to the primary: the caller wrote recently, the replica is behind or down, or the read had to write. */
  primary: number;
  /** Reads that failed on the replica (it went away, lagged into a conflict) and ran again on the primary. */
  fallback: number;
}

/** A sample of the primary's WAL position, taken at `at` (performance.now()). */
interface Sample {
  at: number;
  lsn: bigint;
}

/**
 * Routes the reads of routes marked `replica: true` to a streaming replica (DATABASE_REPLICA_URL)
 * while it is close enough, and back to the primary when it is not. See docs/SCALING.md, "Read
 * replicas".
 *
 * - **Freshness.** Every `probeMs` the primary's WAL position is sampled, then the replica's
 *   replay position is read. The replica holds every transaction committed before the newest
 *   sample it has replayed past; `lagMs` is the time since that sample. A replica more than
 *   `maxLagMs` behind, unreachable, or not a standby serves nothing.
 * - **Your own writes.** A caller (an API key, a dashboard user, a member session: the rate
 *   limit's key) that wrote reads from the primary for `maxLagMs` afterwards: known at once to
 *   this process, and to every API process through a Redis key with that expiry. After that a
 *   replica within `maxLagMs` necessarily holds the write. With Redis configured but not
 *   answering, nobody can say whether another process saw a write: reads go to the primary.
 * - **Failures.** A read that fails on the replica for a reason of the replica (connection lost,
 *   no connection in time, a query cancelled by recovery) runs again on the primary and the
 *   replica is set aside until the next probe succeeds: never a 500 because of the replica.
 */
export class ReadReplica {
  readonly stats: ReplicaStats = { replica: 0, primary: 0, fallback: 0 };
  private samples: Sample[] = [];
  /** performance.now() of the newest primary sample the replica has replayed; -Infinity: none yet. */
  private caughtUpTo = Number.NEGATIVE_INFINITY;
  private down = true;
  private readonly wroteAt = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private probing: Promise<void> | null = null;
  private warned = false;

  /**
   * `db`: the replica's pool (closed by close()); `primary`: where the probe reads the primary's
   * WAL position (main.ts gives it a one-connection pool of its own, so a saturated request
   * pool never makes the replica look behind).
   */
  constructor(
    readonly db: Db,
    private readonly primary: Db,
    private readonly redis: ApiRedis | null,
    private readonly logger: pino.Logger,
    readonly options: ReadReplicaOptions = DEFAULT_REPLICA_OPTIONS,
  ) {}

  /** Starts probing (first probe now). */
  start(): Promise<void> {
    if (!this.timer) {
      this.timer = setInterval(() => void this.probe(), this.options.probeMs);
      this.timer.unref();
    }
    return this.probe();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.probing?.catch(() => {});
    await this.db.close();
  }

  /** How far behind the replica is (ms since the newest primary position it holds); Infinity when down. */
  lagMs(now = performance.now()): number {
    return this.down ? Number.POSITIVE_INFINITY : now - this.caughtUpTo;
  }

  /** Whether the replica may serve reads at all right now. */
  fresh(now = performance.now()): boolean {
    return this.lagMs(now) <= this.options.maxLagMs;
  }

  /** One measurement: the primary's position, then the replica's. */
  probe(): Promise<void> {
    return (this.probing ??= (async () => {
      try {
        const at = performance.now();
        const lsn = await withDeadline(primaryWalPosition(this.primary.pool), this.options.maxLagMs);
        this.samples.push({ at, lsn });
        const replayed = await withDeadline(replicaReplayPosition(this.db.pool), this.options.maxLagMs);
        if (replayed === null) {
          if (!this.warned) this.logger.warn('DATABASE_REPLICA_URL is not a standby (not in recovery): reads stay on the primary');
          this.warned = true;
          this.down = true;
          return;
        }
        // The newest sample the replica has replayed past; older ones are no longer needed.
        let i = this.samples.length - 1;
        while (i >= 0 && this.samples[i]!.lsn > replayed) i--;
        if (i >= 0) {
          this.caughtUpTo = Math.max(this.caughtUpTo, this.samples[i]!.at);
          this.samples = this.samples.slice(i + 1);
        }
        // Samples older than the lag bound can never make the replica usable again on their own.
        const horizon = performance.now() - 10 * this.options.maxLagMs;
        this.samples = this.samples.filter((s, k) => s.at >= horizon || k === this.samples.length - 1);
        this.down = false;
      } catch (err) {
        if (!this.down) this.logger.warn({ err: (err as Error).message }, 'read replica unavailable: reads go to the primary');
        this.down = true;
      } finally {
        this.probing = null;
      }
    })());
  }

  private markerKey(caller: string): string {
    return `up:rw:${caller}`;
  }

  /** The caller has written (its transaction has committed): its reads stay on the primary for maxLagMs. */
  async wrote(caller: string): Promise<void> {
    this.wroteAt.set(caller, performance.now());
    if (this.wroteAt.size > 100_000) this.prune();
    if (this.redis) await withDeadline(this.redis.set(this.markerKey(caller), '1', 'PX', this.options.maxLagMs)).catch(() => {});
  }

  private prune(): void {
    const old = performance.now() - this.options.maxLagMs;
    for (const [k, at] of this.wroteAt) if (at < old) this.wroteAt.delete(k);
  }

  /** Whether this caller's read may go to the replica now (counted in stats.primary when not). */
  async usable(caller: string | undefined): Promise<boolean> {
    const ok = await this.mayRead(caller);
    if (!ok) this.stats.primary++;
    return ok;
  }

  private async mayRead(caller: string | undefined): Promise<boolean> {
    const now = performance.now();
    if (!this.fresh(now) || !caller) return false;
    const at = this.wroteAt.get(caller);
    if (at !== undefined && now - at <= this.options.maxLagMs) return false;
    if (!this.redis) return true;
    // Another API process may have taken this caller's write.
    try {
      return (await withDeadline(this.redis.exists(this.markerKey(caller)))) === 0;
    } catch {
      return false;
    }
  }

  /**
   * Runs a read on the replica (read-only, the tenant settings and RLS as on the primary), or on
   * the primary through `primary` when the replica fails for a reason of its own.
   */
  async read<T>(tenantId: string, fn: (tx: Tx) => Promise<T>, options: WithTenantOptions | undefined, primary: () => Promise<T>): Promise<T> {
    try {
      const result = await withTenant(this.db.prisma, tenantId, fn, { ...options, isolationLevel: undefined, readOnly: true });
      this.stats.replica++;
      return result;
    } catch (err) {
      const failure = replicaFailure(err);
      if (!failure) {
        // The request's own error (a 404, a validation problem), answered by the replica.
        this.stats.replica++;
        throw err;
      }
      if (failure === 'replica') {
        this.down = true;
        this.stats.fallback++;
        this.logger.warn({ err: (err as Error).message }, 'read failed on the replica: served by the primary');
      } else {
        this.stats.primary++;
      }
      return primary();
    }
  }
}

/**
 * Why a read on the replica must run again on the primary: `replica`, the replica failed
 * (connection lost or refused, no connection in time, a query cancelled by a conflict with
 * recovery: 40001, 40P01, 57P04), and is set aside until the next probe; `request`, the read
 * needs the primary (PrimaryRequiredError, or a write refused on the standby: 25006). Null:
 * the request's own error, answered as it is.
 */
const REPLICA_SQLSTATES = new Set(['40001', '40P01', '57P04', 'P2028']);

function replicaFailure(error: unknown, depth = 0): 'replica' | 'request' | null {
  if (depth === 0 && isDatabaseUnavailable(error)) return 'replica';
  if (error === null || typeof error !== 'object' || depth > 6) return null;
  if (error instanceof PrimaryRequiredError) return 'request';
  const e = error as { code?: unknown; originalCode?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
  for (const code of [e.code, e.originalCode]) {
    if (typeof code !== 'string') continue;
    if (REPLICA_SQLSTATES.has(code)) return 'replica';
    if (code === '25006') return 'request';
  }
  return replicaFailure(e.cause, depth + 1) ?? replicaFailure(e.meta?.driverAdapterError, depth + 1);
}
