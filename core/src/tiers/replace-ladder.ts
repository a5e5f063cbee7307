import { Prisma, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { forbidden, validationFailed, type FieldError } from '../shared/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { bumpProgramVersion, getProgram, type Program } from '../program/index.ts';
import { getLadder, tierRowData } from './ladder.ts';
import { markConfigWritten } from '../shared/config-cache.ts';
import { retierMovesSql } from './retier-sql.ts';
import { moveTiersSql } from './tier-changes.ts';
import { tiersMoved } from './move-tier.ts';
import { validateLadder } from './validate-ladder.ts';
import type { Tier, TierInput } from './tiers.contract.ts';

export interface LadderChangeResult {
  tiers: Tier[];
  upgraded: number;
  downgraded: number;
}

/**
 * Checks a ladder body against the rules and the tenant's coupon templates; throws 400.
 * `mapError` rewrites each field error (PATCH points them at its own body).
 */
export async function assertValidLadder(
  tx: Tx,
  ctx: TenantContext,
  tiers: TierInput[],
  model: 'growth' | 'spend' | 'rfm',
  mapError: (e: FieldError) => FieldError = (e) => e,
): Promise<void> {
  const errors = validateLadder(tiers, model);
  const refs: { path: string; ref: string }[] = [];
  tiers.forEach((t, i) => {
    const b = t.benefits ?? {};
    if (b.birthdayGift?.couponTemplateId) refs.push({ path: `tiers.${i}.benefits.birthdayGift.couponTemplateId`, ref: b.birthdayGift.couponTemplateId });
    b.upgradeGift?.couponTemplateIds.forEach((ref, j) => refs.push({ path: `tiers.${i}.benefits.upgradeGift.couponTemplateIds.${j}`, ref }));
  });
  if (refs.length) {
    const wanted = [...new Set(refs.map((r) => r.ref))];
    const found = await tx.couponTemplate.findMany({
      where: { tenantId: ctx.tenantId, OR: [{ id: { in: wanted } }, { code: { in: wanted } }] },
      select: { id: true, code: true },
    });
    const known = new Set(found.flatMap((f) => [f.id, f.code]));
    for (const r of refs) if (!known.has(r.ref)) errors.push({ path: r.path, message: `No coupon template ${r.ref}` });
  }
  if (errors.length) throw validationFailed(errors.map(mapError), 'The ladder is not valid');
}

/**
 * PUT /v1/tiers: replaces the ladder atomically. Members on a tier that stays move only up
 * (upgrade rules only); members on a removed tier get the tier the model gives them. Every
 * move is recorded in tier_changes and emits member.tier_changed, set-based (one statement
 * whatever the member count); the moved members' coupon packs follow through the tiers-moved
 * hooks, set-based too. Concurrent replacements serialise on the program row.
 */
export async function replaceLadder(tx: Tx, ctx: TenantContext, tiers: TierInput[], at = new Date()): Promise<LadderChangeResult> {
  // From here this transaction reads its own ladder, never the shared cache.
  markConfigWritten(tx, ctx.tenantId);
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot change the tier ladder');
  const program = await getProgram(tx, ctx);
  await assertValidLadder(tx, ctx, tiers, program.qualificationModel);
  await lockLadder(tx, ctx);
  const before = await getLadder(tx, ctx);
  const result = await writeLadder(tx, ctx, program, before, tiers, at);
  const { upgraded, downgraded } = result;
  await recordAudit(tx, ctx, { action: 'tiers.replaced', targetType: 'tiers', targetId: ctx.tenantId, before: { tiers: before }, after: { tiers: result.tiers, upgraded, downgraded } });
  return result;
}

/** Serialises ladder changes of the tenant on its program row (held to the end of the transaction). */
export async function lockLadder(tx: Tx, ctx: TenantContext): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM programs WHERE tenant_id = ${ctx.tenantId} FOR UPDATE`;
}

/**
 * Writes a validated ladder in place of `before` (read under lockLadder), re-tiers every
 * member set-based, drops the tiers it no longer has and bumps the program version. Shared by
 * PUT /v1/tiers and PATCH /v1/tiers/:code; the caller audits.
 */
export async function writeLadder(
  tx: Tx,
  ctx: TenantContext,
  program: Program,
  before: Tier[],
  tiers: TierInput[],
  at: Date,
): Promise<LadderChangeResult> {
  // Free every rank first: (tenant_id, rank) is unique and the new ladder may reuse ranks.
  await tx.$executeRaw`UPDATE tiers SET rank = -1 - rank WHERE tenant_id = ${ctx.tenantId}`;
  for (const t of tiers) {
    const data = tierRowData(ctx.tenantId, t);
    // The key columns stay out of the update: a statement never sets tenant_id (the
    // distribution column of a sharded database, which refuses it even to the same value).
    const { tenantId: _tenantId, code: _code, ...changes } = data;
    await tx.tier.upsert({ where: { tenantId_code: { tenantId: ctx.tenantId, code: t.code } }, create: data, update: changes });
  }
  const rows = await tx.$queryRaw<{ upgraded: number; downgraded: number; moved: number }[]>`
    WITH ${retierMovesSql(ctx.tenantId, program, before, tiers, at)},
    ${moveTiersSql(ctx, {
      moves: Prisma.sql`SELECT id, old_code AS from_code, new_code AS to_code, direction FROM mv WHERE new_code <> old_code`,
      reason: 'ladder_changed',
      at,
    })}
    SELECT (count(*) FILTER (WHERE direction > 0))::int AS upgraded, (count(*) FILTER (WHERE direction < 0))::int AS downgraded, count(*)::int AS moved FROM tier_moved`;
  const keep = tiers.map((t) => t.code);
  await tx.tier.deleteMany({ where: { tenantId: ctx.tenantId, code: { notIn: keep } } });
  await bumpProgramVersion(tx, ctx);
  const after = await getLadder(tx, ctx);
  const { upgraded, downgraded, moved } = rows[0] ?? { upgraded: 0, downgraded: 0, moved: 0 };
  // The moved members get their new tier's coupon packs now, in this transaction and
  // set-based: the members are read back from the history rows this change wrote.
  if (moved > 0) {
    await tiersMoved(tx, ctx, {
      members: Prisma.sql`SELECT DISTINCT member_id FROM tier_changes WHERE tenant_id = ${ctx.tenantId} AND at = ${at}::timestamptz AND reason = 'ladder_changed'`,
      at,
    });
  }
  return { tiers: after, upgraded, downgraded };
}
