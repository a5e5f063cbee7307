import { Prisma, queryBatch, withTenant, type Db, type Tx } from '@unionpoint/db';
import { systemContext, type TenantContext } from '../shared/context.ts';
import { isIntegerOverflow } from '../shared/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { changeGrowthRowsSql, GrowthKind } from '../growth/index.ts';
import { moveTiersSql, protectTiersSql, tiersMoved } from '../tiers/index.ts';
import { emitEvent } from '../webhooks/index.ts';
import { nextPeriod, periodContaining } from './period.ts';
import { localDate } from '../shared/time.ts';
import { decisionSources, loadRetentionSetup, type RetentionSetup } from './retention-setup.ts';
import { decisionsSql } from './retention.sql.ts';

export interface ProcessRunOptions {
  batchSize?: number;
  /** Called after each committed batch (progress; tests use it to simulate a crash). */
  afterBatch?: (progress: { evaluated: number; downgraded: number; cursor: string }) => void | Promise<void>;
  /** The time of the run (the worker's clock): the downgraded members' coupon packs are those of the period holding it. */
  now?: Date;
}

export interface RunOutcome {
  status: 'completed' | 'skipped';
  evaluated: number;
  downgraded: number;
  protected: number;
}

/**
 * The decisions of one batch (read after the batch's row locks): how many members were
 * evaluated, the last one, and the members to downgrade or protect.
 */
function decideBatchSql(setup: RetentionSetup): string {
  return `WITH ${decisionsSql(decisionSources(setup))}
    SELECT (SELECT count(*)::int FROM base) AS evaluated, (SELECT max(id) FROM base) AS last_id,
      COALESCE((SELECT jsonb_agg(jsonb_build_object('id', id, 'action', action, 'from', tier_at_end, 'to', target_code, 'reset', reset_delta) ORDER BY id)
                FROM decided WHERE action IN ('downgrade', 'protect')), '[]'::jsonb) AS decided`;
}

type Decided = { id: string; action: 'downgrade' | 'protect'; from: string; to: string; reset: number };

/**
 * The writes of one batch through the owning modules' builders, sent in one round trip: the
 * downgrades (tier, tier history at the period end and member.tier_changed through tiers), the
 * growth resets (growth), the protections (tiers). Ids derive from the run and the member, so
 * the rerun of a batch after a crash writes the same rows.
 */
function applyBatchStatements(
  ctx: TenantContext,
  setup: RetentionSetup,
  runId: string,
  periodEnd: Date,
  protectedUntil: Date,
  decided: Decided[],
): Prisma.Sql[] {
  const down = decided.filter((d) => d.action === 'downgrade');
  const prot = decided.filter((d) => d.action === 'protect');
  const statements: Prisma.Sql[] = [];
  const seed = Prisma.sql`${runId}::text || '.' || s.id`;
  if (down.length) {
    statements.push(Prisma.sql`
      WITH ${moveTiersSql(ctx, {
        moves: Prisma.sql`SELECT * FROM unnest(${down.map((d) => d.id)}::text[], ${down.map((d) => d.from)}::text[], ${down.map((d) => d.to)}::text[]) AS x(id, from_code, to_code)`,
        reason: 'retention',
        at: periodEnd,
        eventData: Prisma.sql`jsonb_build_object('runId', ${runId}::text)`,
        seed,
        protectedUntil: null,
      })}
      SELECT count(*)::int AS moved FROM tier_moved`);
    const resets = down.filter((d) => d.reset !== 0);
    if (setup.sources.growthLedger && resets.length) {
      statements.push(
        ...changeGrowthRowsSql(ctx, {
          rows: Prisma.sql`SELECT * FROM unnest(${resets.map((d) => d.id)}::text[], ${resets.map((d) => d.reset)}::int[]) AS x(member_id, delta)`,
          kind: GrowthKind.RetentionReset,
          reason: 'retention',
          reference: runId,
          idempotencyKey: runId,
          at: periodEnd,
          seed: Prisma.sql`${runId}::text || '.' || s.member_id`,
        }),
      );
    }
  }
  if (prot.length) statements.push(protectTiersSql(ctx, { ids: prot.map((d) => d.id), until: protectedUntil }));
  return statements;
}

type RunRow = {
  id: string;
  status: string;
  cursor: string | null;
  period_start: Date;
  period_end: Date;
  evaluated: number;
  downgraded: number;
  protected_count: number;
};

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
    // Times inside COALESCE/CASE are parameters, not now(): Citus refuses a mutable function there.
    await tx.$executeRaw`UPDATE retention_runs SET status = 'running', started_at = COALESCE(started_at, ${new Date()}::timestamptz), heartbeat_at = now(), error = NULL
      WHERE tenant_id = ${tenantId} AND id = ${runId}`;
    return run;
  });
  if (!started) return { status: 'skipped', evaluated: 0, downgraded: 0, protected: 0 };

  try {
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
          const [r] = await tx.$queryRawUnsafe<{ evaluated: number; last_id: string | null; decided: Decided[] }[]>(
            decideBatchSql(setup),
            tenantId,
            run.period_start,
            run.period_end,
            setup.ladderJson,
            run.cursor ?? '',
            batchSize,
            setup.program.qualificationModel,
          );
          const decided = r!.decided;
          const result = {
            evaluated: r!.evaluated,
            last_id: r!.last_id,
            downgraded: decided.filter((d) => d.action === 'downgrade').length,
            protected: decided.filter((d) => d.action === 'protect').length,
          };
          const done = result.evaluated < batchSize;
          await queryBatch(tx, [
            ...applyBatchStatements(ctx, setup, runId, run.period_end, protectedUntil, decided),
            Prisma.sql`UPDATE retention_runs SET
              cursor = COALESCE(${result.last_id}, cursor), evaluated = evaluated + ${result.evaluated}, downgraded = downgraded + ${result.downgraded},
              protected_count = protected_count + ${result.protected}, heartbeat_at = now(),
              status = CASE WHEN ${done} THEN 'completed' ELSE status END, finished_at = CASE WHEN ${done} THEN ${new Date()}::timestamptz ELSE finished_at END
            WHERE tenant_id = ${tenantId} AND id = ${runId}`,
          ]);
          // The downgraded members' packs of their new tier, now and set-based (the tiers-moved hooks).
          const down = decided.filter((d) => d.action === 'downgrade').map((d) => d.id);
          if (down.length)
            await tiersMoved(tx, ctx, { members: Prisma.sql`SELECT unnest(${down}::text[]) AS member_id`, at: options.now ?? new Date() });
          const totals = {
            evaluated: run.evaluated + result.evaluated,
            downgraded: run.downgraded + result.downgraded,
            protected: run.protected_count + result.protected,
          };
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
  } catch (error) {
    // A batch that would take a value past 2³¹−1 fails the same way on every retry: the run
    // stops as failed, with the reason, so the dispatcher does not take it over again and again.
    if (isIntegerOverflow(error)) {
      const reason = `limit_exceeded: a value would pass the largest allowed (2147483647): ${(error as Error).message}`.slice(0, 1000);
      await withTenant(
        db.prisma,
        tenantId,
        (tx) =>
          tx.$executeRaw`UPDATE retention_runs SET status = 'failed', error = ${reason}, heartbeat_at = now(), finished_at = now()
          WHERE tenant_id = ${tenantId} AND id = ${runId} AND status = 'running'`,
      );
    }
    throw error;
  }
}

/**
 * Runs that need a worker: queued, or running without a heartbeat (one per batch) for
 * `staleAfterMs`, two minutes by default (its worker died). A run picked up while its worker is
 * in fact alive is harmless: the run row lock serialises the two and the cursor moves once.
 */
export async function unsafeFindRunnableRetentionRuns(
  pool: Db['pool'],
  staleAfterMs = 120_000,
): Promise<{ tenantId: string; runId: string; cursor: string | null }[]> {
  const { rows } = await pool.query<{ tenant_id: string; id: string; cursor: string | null }>(
    `SELECT tenant_id, id, cursor FROM retention_runs
     WHERE status = 'queued' OR (status = 'running' AND heartbeat_at < now() - make_interval(secs => $1::int / 1000.0))
     ORDER BY created_at LIMIT 100`,
    [Math.max(0, Math.min(2_147_483_647, Math.trunc(staleAfterMs)))],
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, runId: r.id, cursor: r.cursor }));
}
