import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError, forbidden, notFound, validationFailed } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { getProgram, programSettingsSchema, updateProgram, type Program, type ProgramPatch, type ProgramSettings } from '../program/index.ts';
import { assertValidLadder, getLadder, replaceLadder, type Tier } from '../tiers/index.ts';
import type { GrowthRulesPatch, RecomputeDto, RecomputeProposal } from './recompute.contract.ts';
import type { ReplayRules } from './replay.sql.ts';


/** The growth rules of the proposal laid over the current ones, key by key; 400 when the result is not valid. */
export function mergeGrowthRules(current: ProgramSettings['growthRules'], patch: GrowthRulesPatch | undefined): ProgramSettings['growthRules'] {
  if (!patch) return current;
  const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  const { monthlyShopping, ...flat } = patch as GrowthRulesPatch & { monthlyShopping?: Record<string, unknown> };
  const merged = { ...current, ...defined(flat), monthlyShopping: { ...current.monthlyShopping, ...defined(monthlyShopping ?? {}) } };
  const parsed = programSettingsSchema.shape.growthRules.safeParse(merged);
  if (!parsed.success) throw validationFailed(parsed.error.issues.map((i) => ({ path: ['growthRules', ...i.path].join('.'), message: i.message })));
  return parsed.data;
}

/** The rules a replay runs under: the program and ladder, with the proposal (if any) laid over them. */
export function replayRules(program: Program, ladder: Tier[], proposal: RecomputeProposal = {}): ReplayRules {
  return {
    qualificationModel: proposal.qualificationModel ?? program.qualificationModel,
    rfm: program.rfm,
    growthRules: mergeGrowthRules(program.growthRules, proposal.growthRules),
    activityGrowthPerDay: program.caps.activityGrowthPerDay,
    timezone: program.timezone,
    ladder: proposal.tiers ?? ladder,
  };
}

/** The program version as stored now (not through the cache); `lock` holds the program row to the end of the transaction. */
async function programVersion(tx: Tx, ctx: TenantContext, lock: boolean): Promise<number> {
  const rows = lock
    ? await tx.$queryRaw<{ version: number }[]>`SELECT version FROM programs WHERE tenant_id = ${ctx.tenantId} FOR UPDATE`
    : await tx.$queryRaw<{ version: number }[]>`SELECT version FROM programs WHERE tenant_id = ${ctx.tenantId}`;
  if (!rows[0]) throw notFound('Program');
  return rows[0].version;
}

/**
 * POST /v1/recompute/preview: checks the proposal (a ladder valid for the model it will be read
 * by, growth rules valid once merged) and queues the preview; the worker computes it. Nothing
 * else is written.
 */
export async function requestRecomputePreview(tx: Tx, ctx: TenantContext, proposal: RecomputeProposal): Promise<{ id: string; status: 'queued' }> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot recompute tiers');
  const [program, ladder, version] = await Promise.all([getProgram(tx, ctx), getLadder(tx, ctx), programVersion(tx, ctx, false)]);
  const model = proposal.qualificationModel ?? program.qualificationModel;
  mergeGrowthRules(program.growthRules, proposal.growthRules);
  if (proposal.tiers) await assertValidLadder(tx, ctx, proposal.tiers, model);
  else if (model !== program.qualificationModel) {
    // The current ladder must be readable by the new model (its thresholds for it set and rising).
    await assertValidLadder(tx, ctx, ladder, model, (e) => ({ path: e.path, message: `${e.message} (the current ladder under ${model}: send tiers too)` }));
  }
  const id = newId('rcp');
  await tx.recomputeRun.create({
    data: { tenantId: ctx.tenantId, id, proposal: proposal as object, programVersion: version, requestedBy: `${ctx.actor.type}:${ctx.actor.id}` },
  });
  return { id, status: 'queued' };
}

type RunRow = Awaited<ReturnType<Tx['recomputeRun']['findFirstOrThrow']>>;

function toDto(r: RunRow, currentVersion: number): RecomputeDto {
  const applying = r.status === 'applying' || r.status === 'applied';
  return {
    id: r.id,
    status: r.status as RecomputeDto['status'],
    proposal: r.proposal as RecomputeProposal,
    stale: !applying && currentVersion !== r.programVersion,
    members: r.members,
    tiers: r.tiers as RecomputeDto['tiers'],
    tierChanges: r.tierChanges as RecomputeDto['tierChanges'],
    growthDelta: Number(r.growthDelta),
    growthIncreased: r.growthIncreased,
    growthDecreased: r.growthDecreased,
    sample: r.sample as RecomputeDto['sample'],
    applied: r.applyRequestedAt ? { members: r.appliedMembers, tierMoves: r.appliedTierMoves, growthEntries: r.appliedGrowthEntries } : null,
    error: r.error,
    createdAt: r.createdAt.toISOString(),
    computedAt: r.computedAt?.toISOString() ?? null,
    appliedAt: r.appliedAt?.toISOString() ?? null,
  };
}

/** GET /v1/recompute/:id. */
export async function getRecompute(tx: Tx, ctx: TenantContext, id: string): Promise<RecomputeDto> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot read recomputes');
  const [row, version] = await Promise.all([tx.recomputeRun.findFirst({ where: { tenantId: ctx.tenantId, id } }), programVersion(tx, ctx, false)]);
  if (!row) throw notFound('Recompute');
  return toDto(row, version);
}

/**
 * POST /v1/recompute/:id/apply: an explicit, audited merchant action. Under the program row's
 * lock (every program and ladder change takes it), a preview made before the last change is
 * refused with 409 `stale_preview`; otherwise the proposed settings are saved through their
 * owners (updateProgram, replaceLadder) and the run is handed to the worker, which replays every
 * member again under the saved settings and moves them (processRecomputeRun).
 */
export async function requestRecomputeApply(tx: Tx, ctx: TenantContext, id: string, now = new Date()): Promise<{ id: string; status: 'applying' }> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot recompute tiers');
  const version = await programVersion(tx, ctx, true);
  const [run] = await tx.$queryRaw<{ status: string; program_version: number; proposal: RecomputeProposal }[]>`
    SELECT status, program_version, proposal FROM recompute_runs WHERE tenant_id = ${ctx.tenantId} AND id = ${id} FOR UPDATE`;
  if (!run) throw notFound('Recompute');
  if (run.status === 'applying' || run.status === 'applied') throw new AppError('conflict', 'This recompute was already applied');
  if (run.status !== 'ready') throw new AppError('conflict', `The preview is ${run.status}, not ready: apply it once GET shows status ready`);
  if (version !== run.program_version) {
    throw new AppError('stale_preview', 'The program or the ladder changed after this preview was made: ask for a new preview and apply that one');
  }
  const proposal = run.proposal;
  const patch: ProgramPatch = {
    ...(proposal.qualificationModel ? { qualificationModel: proposal.qualificationModel } : {}),
    ...(proposal.growthRules ? { growthRules: proposal.growthRules as ProgramPatch['growthRules'] } : {}),
  };
  if (Object.keys(patch).length) await updateProgram(tx, ctx, patch);
  if (proposal.tiers) await replaceLadder(tx, ctx, proposal.tiers, now);
  await tx.$executeRaw`UPDATE recompute_runs SET status = 'applying', cursor = NULL, heartbeat_at = NULL, apply_requested_at = ${now}::timestamptz,
      applied_by = ${`${ctx.actor.type}:${ctx.actor.id}`}
    WHERE tenant_id = ${ctx.tenantId} AND id = ${id}`;
  await recordAudit(tx, ctx, { action: 'recompute.applied', targetType: 'recompute', targetId: id, after: { proposal } });
  return { id, status: 'applying' };
}
