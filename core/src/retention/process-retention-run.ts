import { withTenant, type Db, type Tx } from '@unionpoint/db';
import { systemContext, type TenantContext } from '../shared/context.ts';
import { recordAudit } from '../audit/index.ts';
import { emitEvent } from '../webhooks/index.ts';
import { nextPeriod, periodContaining } from './period.ts';
import { localDate } from '../shared/time.ts';
import { decisionSources, loadRetentionSetup, type RetentionSetup } from './retention-setup.ts';
import { decisionsSql } from './retention.sql.ts';

export interface ProcessRunOptions {
  batchSize?: number;
  /** Called after each committed batch (progress; tests use it to simulate a crash). */
  afterBatch?: (progress: { evaluated: number; downgraded: number; cursor: string }) => void | Promise<void>;
}

export interface RunOutcome {
  status: 'completed' | 'skipped';
  evaluated: number;
  downgraded: number;
  protected: number;
}

/**
 * One batch in one transaction: lock the batch's member rows (the same lock every balance
 * change takes), decide every member with one statement, apply the downgrades (tier, tier
 * history at the period end, growth reset entries, member.tier_changed events) and advance the
 * run's cursor and counters in the same commit. A crash loses at most the open batch, which the
 * rerun repeats with the same inputs.
 */
function applyBatchSql(setup: RetentionSetup): string {
  const growthReset = setup.sources.growthLedger
    ? `, reset AS (
         INSERT INTO growth_ledger (tenant_id, id, member_id, delta, kind, reason, reference, idempotency_key, balance_after, at)
         SELECT $1, 'grw_' || md5($8 || d.id), d.id, d.reset_delta, 'retention_reset', 'retention', $8, $8, u.growth, $3
         FROM d JOIN upd u ON u.id = d.id WHERE d.reset_delta <> 0
         RETURNING 1)`
    : '';
  return `WITH ${decisionsSql(decisionSources(setup))},
    d AS (SELECT * FROM decided WHERE action = 'downgrade'),
    upd AS (
      UPDATE members m SET tier_code = d.target_code, tier_since = $3,
        growth = m.growth + ${setup.sources.growthLedger ? 'd.reset_delta' : '0'}, protected_until = NULL, updated_at = now()
      FROM d WHERE m.tenant_id = $1 AND m.id = d.id
      RETURNING m.id, m.growth),
    changes AS (
      INSERT INTO tier_changes (tenant_id, id, member_id, from_code, to_code, reason, at)
      SELECT $1, 'tch_' || md5($8 || d.id), d.id, d.tier_at_end, d.target_code, 'retention', $3 FROM d
      RETURNING 1),
    events AS (
      INSERT INTO outbox_events (tenant_id, id, type, member_id, payload)
      SELECT $1, e.id, 'member.tier_changed', d.id,
        jsonb_build_object('id', e.id, 'type', 'member.tier_changed', 'tenantId', $1, 'createdAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'data', jsonb_build_object('memberId', d.id, 'from', d.tier_at_end, 'to', d.target_code, 'reason', 'retention', 'runId', $8,
            'at', to_char($3::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
      FROM d CROSS JOIN LATERAL (SELECT 'evt_' || md5($8 || d.id) AS id) e
      ORDER BY d.id
      RETURNING 1),
    prot AS (
      UPDATE members m SET protected_until = $9, updated_at = now()
      FROM decided p WHERE p.action = 'protect' AND m.tenant_id = $1 AND m.id = p.id
      RETURNING 1)${growthReset}
    SELECT (SELECT count(*)::int FROM base) AS evaluated,
      (SELECT count(*)::int FROM d) AS downgraded,
      (SELECT count(*)::int FROM decided WHERE action = 'protect') AS protected,
      (SELECT max(id) FROM base) AS last_id,
      (SELECT count(*)::int FROM changes) + (SELECT count(*)::int FROM events) + (SELECT count(*)::int FROM prot) AS _writes`;
}

type RunRow = { id: string; status: string; cursor: string | null; period_start: Date; period_end: Date; evaluated: number; downgraded: number; protected_count: number };

async function lockRun(tx: Tx, ctx: TenantContext, runId: string): Promise<RunRow | undefined> {
  const [run] = await tx.$queryRaw<RunRow[]>`
    SELECT id, status, cursor, period_start, period_end, evaluated, downgraded, protected_count
    FROM retention_runs WHERE tenant_id = ${ctx.tenantId} AND id = ${runId} FOR UPDATE`;
  return run;
}

/**
 * Processes a queued (or interrupted) run to the end, batch by batch, resuming from its cursor.
 * Running it again after completion changes nothing. Emits retention.completed.
 */
export async function processRetentionRun(db: Db, tenantId: string, runId: string, options: ProcessRunOptions = {}): Promise<RunOutcome> {
  const ctx = systemContext(tenantId, 'retention');
  const batchSize = options.batchSize ?? 5000;
  const started = await withTenant(db.prisma, tenantId, async (tx) => {
    const run = await lockRun(tx, ctx, runId);
    if (!run || run.status === 'completed') return null;
    await tx.$executeRaw`UPDATE retention_runs SET status = 'running', started_at = COALESCE(started_at, now()), heartbeat_at = now(), error = NULL
      WHERE tenant_id = ${tenantId} AND id = ${runId}`;
    return run;
  });
  if (!started) return { status: 'skipped', evaluated: 0, downgraded: 0, protected: 0 };

  for (;;) {
    const batch = await withTenant(
      db.prisma,
      tenantId,
      async (tx) => {
        // The run row lock serialises two workers on one run: the second sees the advanced cursor.
        const run = (await lockRun(tx, ctx, runId))!;
        if (run.status !== 'running') return null;
        const setup = await loadRetentionSetup(tx, ctx);
        const { timezone, retention } = setup.program;
        const period = periodContaining(localDate(run.period_start, timezone), retention.period, timezone);
        const protectedUntil = nextPeriod(period, retention.period, timezone).end;
        await tx.$queryRaw`SELECT 1 FROM members WHERE tenant_id = ${tenantId} AND id > ${run.cursor ?? ''} AND created_at < ${run.period_end}
          ORDER BY id LIMIT ${batchSize} FOR UPDATE`;
        const [r] = await tx.$queryRawUnsafe<{ evaluated: number; downgraded: number; protected: number; last_id: string | null }[]>(
          applyBatchSql(setup),
          tenantId,
          run.period_start,
          run.period_end,
          setup.ladderJson,
          run.cursor ?? '',
          batchSize,
          setup.program.qualificationModel,
          runId,
          protectedUntil,
        );
        const result = r!;
        const done = result.evaluated < batchSize;
        await tx.$executeRaw`UPDATE retention_runs SET
            cursor = COALESCE(${result.last_id}, cursor), evaluated = evaluated + ${result.evaluated}, downgraded = downgraded + ${result.downgraded},
            protected_count = protected_count + ${result.protected}, heartbeat_at = now(),
            status = CASE WHEN ${done} THEN 'completed' ELSE status END, finished_at = CASE WHEN ${done} THEN now() ELSE finished_at END
          WHERE tenant_id = ${tenantId} AND id = ${runId}`;
        const totals = { evaluated: run.evaluated + result.evaluated, downgraded: run.downgraded + result.downgraded, protected: run.protected_count + result.protected };
        if (done) {
          await emitEvent(tx, ctx, {
            type: 'retention.completed',
            data: { runId, periodStart: period.firstDay, periodEnd: period.lastDay, ...totals },
          });
          await recordAudit(tx, ctx, { action: 'retention.run_completed', targetType: 'retention_run', targetId: runId, after: totals });
        }
        return { done, cursor: result.last_id ?? run.cursor ?? '', ...totals };
      },
      { timeoutMs: 120_000 },
    );
    if (!batch) return { status: 'skipped', evaluated: 0, downgraded: 0, protected: 0 };
    await options.afterBatch?.({ evaluated: batch.evaluated, downgraded: batch.downgraded, cursor: batch.cursor });
    if (batch.done) return { status: 'completed', evaluated: batch.evaluated, downgraded: batch.downgraded, protected: batch.protected };
  }
}

/** Runs that need a worker: queued, or running without a heartbeat for two minutes (crashed). */
export async function unsafeFindRunnableRetentionRuns(pool: Db['pool']): Promise<{ tenantId: string; runId: string; cursor: string | null }[]> {
  const { rows } = await pool.query<{ tenant_id: string; id: string; cursor: string | null }>(
    `SELECT tenant_id, id, cursor FROM retention_runs
     WHERE status = 'queued' OR (status = 'running' AND heartbeat_at < now() - interval '2 minutes')
     ORDER BY created_at LIMIT 100`,
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, runId: r.id, cursor: r.cursor }));
}
