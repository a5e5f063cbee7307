import { Prisma, queryBatch, withTenant, type Db, type Tx } from '@unionpoint/db';
import { systemContext, type TenantContext } from '../shared/context.ts';
import { isIntegerOverflow } from '../shared/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { changeGrowthRowsSql, GrowthKind } from '../growth/index.ts';
import { getProgram } from '../program/index.ts';
import { getLadder, moveTiersSql, type Tier } from '../tiers/index.ts';
import { replayRules } from './recompute-runs.ts';
import { replaySql, type ReplayRules } from './replay.sql.ts';
import type { RecomputeDto, RecomputeProposal } from './recompute.contract.ts';

export interface ProcessRecomputeOptions {
  batchSize?: number;
  /** The clock (tests fix it); each batch replays at the time it runs. */
  now?: () => Date;
  /** Called after each committed batch (progress; tests use it to simulate a crash). */
  afterBatch?: (progress: { status: string; members: number; cursor: string }) => void | Promise<void>;
}

export interface RecomputeOutcome {
  status: 'ready' | 'applied' | 'skipped';
  members: number;
}

type RunRow = {
  id: string;
  status: string;
  cursor: string | null;
  proposal: RecomputeProposal;
  members: number;
  tiers: RecomputeDto['tiers'];
  tier_changes: RecomputeDto['tierChanges'];
  sample: RecomputeDto['sample'];
  applied_members: number;
  applied_tier_moves: number;
  applied_growth_entries: number;
};

async function lockRun(tx: Tx, ctx: TenantContext, runId: string): Promise<RunRow | undefined> {
  const [run] = await tx.$queryRaw<RunRow[]>`
    SELECT id, status, cursor, proposal, members, tiers, tier_changes, sample, applied_members, applied_tier_moves, applied_growth_entries
    FROM recompute_runs WHERE tenant_id = ${ctx.tenantId} AND id = ${runId} FOR UPDATE`;
  return run;
}

/** The next batch of members (none merged), by id after the cursor; `lock` takes their row locks. */
async function nextBatch(tx: Tx, ctx: TenantContext, cursor: string | null, size: number, lock: boolean): Promise<string[]> {
  const rows = lock
    ? await tx.$queryRaw<
        { id: string }[]
      >`SELECT id FROM members WHERE tenant_id = ${ctx.tenantId} AND merged_into_id IS NULL AND id > ${cursor ?? ''}
        ORDER BY id LIMIT ${size} FOR UPDATE`
    : await tx.$queryRaw<
        { id: string }[]
      >`SELECT id FROM members WHERE tenant_id = ${ctx.tenantId} AND merged_into_id IS NULL AND id > ${cursor ?? ''}
        ORDER BY id LIMIT ${size}`;
  return rows.map((r) => r.id);
}

type Pair = { from: string | null; to: string; count: number };
type SampleRow = RecomputeDto['sample'][number];
export type BatchDiff = { pairs: Pair[]; growth_delta: bigint | number; increased: number; decreased: number; sample: SampleRow[] };

/** The diff of one batch, aggregated in the statement: tier pairs (stays included), growth totals, a sample. */
export function previewBatchSql(tenantId: string, rules: ReplayRules, ids: string[], at: Date): Prisma.Sql {
  return Prisma.sql`
    WITH RECURSIVE ${replaySql(tenantId, rules, ids, at)}
    SELECT
      COALESCE((SELECT jsonb_agg(jsonb_build_object('from', tier_before, 'to', tier_after, 'count', n)) FROM
        (SELECT tier_before, tier_after, count(*)::int AS n FROM rp GROUP BY tier_before, tier_after) p), '[]'::jsonb) AS pairs,
      (SELECT COALESCE(sum(growth_after - growth_before), 0)::bigint FROM rp) AS growth_delta,
      (SELECT count(*)::int FROM rp WHERE growth_after > growth_before) AS increased,
      (SELECT count(*)::int FROM rp WHERE growth_after < growth_before) AS decreased,
      COALESCE((SELECT jsonb_agg(jsonb_build_object('unionId', union_id, 'tierBefore', tier_before, 'tierAfter', tier_after,
                  'growthBefore', growth_before, 'growthAfter', growth_after) ORDER BY union_id) FROM
        (SELECT * FROM rp WHERE tier_after IS DISTINCT FROM tier_before OR growth_after <> growth_before ORDER BY union_id LIMIT ${SAMPLE_SIZE}) s), '[]'::jsonb) AS sample`;
}

export const SAMPLE_SIZE = 10;

/** Adds a batch's diff to the run's running totals (pure). `order` lists tier codes in display order. */
export function mergeDiff(
  run: Pick<RunRow, 'tiers' | 'tier_changes' | 'sample'>,
  diff: BatchDiff,
  order: string[],
): { tiers: RecomputeDto['tiers']; tierChanges: RecomputeDto['tierChanges']; sample: SampleRow[] } {
  const tiers = new Map(run.tiers.map((t) => [t.code, { ...t }]));
  const at = (code: string) => tiers.get(code) ?? tiers.set(code, { code, before: 0, after: 0 }).get(code)!;
  const changes = new Map(run.tier_changes.map((c) => [`${c.from}\u0000${c.to}`, { ...c }]));
  for (const p of diff.pairs) {
    if (p.from !== null) at(p.from).before += p.count;
    at(p.to).after += p.count;
    if (p.from === p.to) continue;
    const key = `${p.from}\u0000${p.to}`;
    const c = changes.get(key) ?? changes.set(key, { from: p.from, to: p.to, count: 0 }).get(key)!;
    c.count += p.count;
  }
  const rank = (code: string | null) => {
    const i = code === null ? -1 : order.indexOf(code);
    return i < 0 ? order.length : i;
  };
  const byCode = (a: string | null, b: string | null) => rank(a) - rank(b) || String(a).localeCompare(String(b));
  const sample = [...run.sample, ...diff.sample]
    .sort((a, b) => (a.unionId < b.unionId ? -1 : a.unionId > b.unionId ? 1 : 0))
    .slice(0, SAMPLE_SIZE)
    .map((s) => ({ ...s, growthBefore: Number(s.growthBefore), growthAfter: Number(s.growthAfter) }));
  return {
    tiers: [...tiers.values()].sort((a, b) => byCode(a.code, b.code)),
    tierChanges: [...changes.values()].sort((a, b) => byCode(a.from, b.from) || byCode(a.to, b.to)),
    sample,
  };
}

/** Current tiers first (by rank), then those only the proposal has (by rank). */
function displayOrder(current: Tier[], rules: ReplayRules): string[] {
  return [...new Set([...current.map((t) => t.code), ...[...rules.ladder].sort((a, b) => a.rank - b.rank).map((t) => t.code)])];
}

/** The moves of one apply batch: members whose tier or growth the replay changes. */
function changesSql(tenantId: string, rules: ReplayRules, ids: string[], at: Date): Prisma.Sql {
  return Prisma.sql`
    WITH RECURSIVE ${replaySql(tenantId, rules, ids, at)}
    SELECT id, tier_before, tier_after, (growth_after - growth_before)::bigint AS delta FROM rp
    WHERE tier_after IS DISTINCT FROM tier_before OR growth_after <> growth_before ORDER BY id`;
}

type Change = { id: string; tier_before: string | null; tier_after: string; delta: bigint | number };

/**
 * The writes of one apply batch through their owners, in one round trip: `recompute_adjust`
 * growth entries (growth: the replayed growth less the value, never rewriting an entry) and the
 * tier moves with history rows and `member.tier_changed` (tiers' moveTiersSql, reason
 * `recompute`; protectedUntil and trials are left as they are). Ids derive from the run and the
 * member, and the ledger key is the run, so a member is adjusted at most once per run.
 */
function applyStatements(ctx: TenantContext, runId: string, at: Date, changes: Change[]): Prisma.Sql[] {
  const growth = changes.filter((c) => Number(c.delta) !== 0);
  const moves = changes.filter((c) => c.tier_after !== c.tier_before);
  const statements: Prisma.Sql[] = [];
  if (growth.length) {
    statements.push(
      ...changeGrowthRowsSql(ctx, {
        rows: Prisma.sql`SELECT * FROM unnest(${growth.map((c) => c.id)}::text[], ${growth.map((c) => Number(c.delta))}::int[]) AS x(member_id, delta)`,
        kind: GrowthKind.RecomputeAdjust,
        reason: 'recompute',
        reference: runId,
        idempotencyKey: runId,
        at,
        seed: Prisma.sql`${runId}::text || '.' || s.member_id`,
      }),
    );
  }
  if (moves.length) {
    statements.push(Prisma.sql`
      WITH ${moveTiersSql(ctx, {
        moves: Prisma.sql`SELECT * FROM unnest(${moves.map((c) => c.id)}::text[], ${moves.map((c) => c.tier_before)}::text[], ${moves.map((c) => c.tier_after)}::text[]) AS x(id, from_code, to_code)`,
        reason: 'recompute',
        at,
        eventData: Prisma.sql`jsonb_build_object('recomputeId', ${runId}::text)`,
        seed: Prisma.sql`${runId}::text || '.' || s.id`,
      })}
      SELECT count(*)::int AS moved FROM tier_moved`);
  }
  return statements;
}

/**
 * Processes a recompute run batch by batch from its cursor, each batch its own transaction:
 * a preview (`queued`/`running`) replays the members under the proposal and adds the batch's
 * diff to the run, writing nothing else, until `ready`; an apply (`applying`, after
 * requestRecomputeApply saved the settings) locks each batch's members, replays them under the
 * saved settings and moves them, until `applied`. Resumable after a crash (the cursor commits
 * with its batch; an apply's rerun of a member finds nothing left to change). Running it again
 * when done changes nothing.
 */
export async function processRecomputeRun(
  db: Db,
  tenantId: string,
  runId: string,
  options: ProcessRecomputeOptions = {},
): Promise<RecomputeOutcome> {
  const ctx = systemContext(tenantId, 'recompute');
  const batchSize = options.batchSize ?? 10_000;
  const clock = options.now ?? (() => new Date());
  const started = await withTenant(db.prisma, tenantId, async (tx) => {
    const run = await lockRun(tx, ctx, runId);
    if (!run || !['queued', 'running', 'applying'].includes(run.status)) return null;
    await tx.$executeRaw`UPDATE recompute_runs SET status = CASE WHEN status = 'queued' THEN 'running' ELSE status END, heartbeat_at = now(), error = NULL
      WHERE tenant_id = ${tenantId} AND id = ${runId}`;
    return run;
  });
  if (!started) return { status: 'skipped', members: 0 };
  try {
    for (;;) {
      const batch = await withTenant(
        db.prisma,
        tenantId,
        async (tx) => {
          const run = (await lockRun(tx, ctx, runId))!;
          if (run.status !== 'running' && run.status !== 'applying') return null;
          // The batch statement's estimated cost would have Postgres JIT-compile it, which takes
          // longer than running it (seconds a batch): off for this transaction.
          await tx.$queryRaw`SELECT set_config('jit', 'off', true)`;
          const at = clock();
          const [program, ladder] = await Promise.all([getProgram(tx, ctx), getLadder(tx, ctx)]);
          if (run.status === 'running') {
            const rules = replayRules(program, ladder, run.proposal);
            const ids = await nextBatch(tx, ctx, run.cursor, batchSize, false);
            const done = ids.length < batchSize;
            const diff = ids.length
              ? (await tx.$queryRaw<BatchDiff[]>(previewBatchSql(tenantId, rules, ids, at)))[0]!
              : { pairs: [], growth_delta: 0, increased: 0, decreased: 0, sample: [] };
            const merged = mergeDiff(run, diff, displayOrder(ladder, rules));
            const members = run.members + ids.length;
            await tx.$executeRaw`UPDATE recompute_runs SET
                cursor = COALESCE(${ids.at(-1) ?? null}::text, cursor), members = ${members}, tiers = ${JSON.stringify(merged.tiers)}::jsonb,
                tier_changes = ${JSON.stringify(merged.tierChanges)}::jsonb, sample = ${JSON.stringify(merged.sample)}::jsonb,
                growth_delta = growth_delta + ${Number(diff.growth_delta)}::bigint, growth_increased = growth_increased + ${diff.increased},
                growth_decreased = growth_decreased + ${diff.decreased}, heartbeat_at = now(),
                status = CASE WHEN ${done} THEN 'ready' ELSE status END,
                computed_at = CASE WHEN ${done} THEN ${at}::timestamptz ELSE computed_at END, finished_at = CASE WHEN ${done} THEN ${new Date()}::timestamptz ELSE finished_at END
              WHERE tenant_id = ${tenantId} AND id = ${runId}`;
            return { done, status: 'ready' as const, members, cursor: ids.at(-1) ?? run.cursor ?? '' };
          }
          // Apply: the settings are saved; replay under them, as a fresh preview would.
          const rules = replayRules(program, ladder);
          const ids = await nextBatch(tx, ctx, run.cursor, batchSize, true);
          const done = ids.length < batchSize;
          const changes = ids.length ? await tx.$queryRaw<Change[]>(changesSql(tenantId, rules, ids, at)) : [];
          const statements = applyStatements(ctx, runId, at, changes);
          const growthEntries = changes.filter((c) => Number(c.delta) !== 0).length;
          const tierMoves = changes.filter((c) => c.tier_after !== c.tier_before).length;
          const members = run.applied_members + ids.length;
          await queryBatch(tx, [
            ...statements,
            Prisma.sql`UPDATE recompute_runs SET
                cursor = COALESCE(${ids.at(-1) ?? null}::text, cursor), applied_members = ${members},
                applied_tier_moves = applied_tier_moves + ${tierMoves}, applied_growth_entries = applied_growth_entries + ${growthEntries},
                heartbeat_at = now(), status = CASE WHEN ${done} THEN 'applied' ELSE status END,
                applied_at = CASE WHEN ${done} THEN ${at}::timestamptz ELSE applied_at END, finished_at = CASE WHEN ${done} THEN ${new Date()}::timestamptz ELSE finished_at END
              WHERE tenant_id = ${tenantId} AND id = ${runId}`,
          ]);
          if (done) {
            await recordAudit(tx, ctx, {
              action: 'recompute.completed',
              targetType: 'recompute',
              targetId: runId,
              after: { members, tierMoves: run.applied_tier_moves + tierMoves, growthEntries: run.applied_growth_entries + growthEntries },
            });
          }
          return { done, status: 'applied' as const, members, cursor: ids.at(-1) ?? run.cursor ?? '' };
        },
        { timeoutMs: 120_000 },
      );
      if (!batch) return { status: 'skipped', members: 0 };
      await options.afterBatch?.({ status: batch.done ? batch.status : 'running', members: batch.members, cursor: batch.cursor });
      if (batch.done) return { status: batch.status, members: batch.members };
    }
  } catch (error) {
    // A failure that repeats on every retry (a value past 2³¹−1) stops the run as failed with the reason.
    if (isIntegerOverflow(error)) {
      const reason = `limit_exceeded: a value would pass the largest allowed (2147483647): ${(error as Error).message}`.slice(0, 1000);
      await withTenant(
        db.prisma,
        tenantId,
        (tx) =>
          tx.$executeRaw`UPDATE recompute_runs SET status = 'failed', error = ${reason}, heartbeat_at = now(), finished_at = now()
          WHERE tenant_id = ${tenantId} AND id = ${runId} AND status IN ('running', 'applying')`,
      );
    }
    throw error;
  }
}

/**
 * Runs that need a worker: queued previews, accepted applies not yet started, and running ones
 * without a heartbeat (one per batch) for `staleAfterMs` (their worker died). A run picked up
 * while its worker is alive is harmless: the run row lock serialises the two.
 */
export async function unsafeFindRunnableRecomputeRuns(
  pool: Db['pool'],
  staleAfterMs = 120_000,
): Promise<{ tenantId: string; runId: string; cursor: string | null; status: string }[]> {
  const { rows } = await pool.query<{ tenant_id: string; id: string; cursor: string | null; status: string }>(
    `SELECT tenant_id, id, cursor, status FROM recompute_runs
     WHERE status = 'queued'
        OR (status IN ('running', 'applying') AND (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => $1::int / 1000.0)))
     ORDER BY created_at LIMIT 100`,
    [Math.max(0, Math.min(2_147_483_647, Math.trunc(staleAfterMs)))],
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, runId: r.id, cursor: r.cursor, status: r.status }));
}
