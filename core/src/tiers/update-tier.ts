import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { forbidden, notFound, type FieldError } from '../shared/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { getProgram } from '../program/index.ts';
import { markConfigWritten } from '../shared/config-cache.ts';
import { getLadder } from './ladder.ts';
import { assertValidLadder, lockLadder, writeLadder } from './replace-ladder.ts';
import type { Tier, TierInput, TierPatch } from './tiers.contract.ts';

const THRESHOLDS = ['minGrowth', 'minSpendCents', 'minRfmScore'] as const;

export interface TierUpdateResult {
  tier: Tier;
  upgraded: number;
  downgraded: number;
}

/** The stored tier with the patch laid over it: benefits and retention merged key by key. */
export function mergeTierPatch(tier: Tier, patch: TierPatch): Tier {
  const retention: Record<string, number> = { ...tier.retention };
  for (const [k, v] of Object.entries(patch.retention ?? {})) {
    if (v === null) delete retention[k];
    else if (v !== undefined) retention[k] = v;
  }
  const benefits: Record<string, unknown> = { ...tier.benefits };
  for (const [k, v] of Object.entries(patch.benefits ?? {})) if (v !== undefined) benefits[k] = v;
  return {
    ...tier,
    name: patch.name ?? tier.name,
    minGrowth: patch.minGrowth ?? tier.minGrowth,
    minSpendCents: patch.minSpendCents ?? tier.minSpendCents,
    minRfmScore: patch.minRfmScore ?? tier.minRfmScore,
    retention: retention as Tier['retention'],
    benefits: benefits as Tier['benefits'],
  };
}

/**
 * The stored ladder as a PUT body. The columns hold 0 for a threshold nobody set, so a
 * threshold that is 0 on every tier is left out (not in use), as PUT would have received it.
 */
function asLadderInput(tiers: Tier[]): TierInput[] {
  const unused = new Set(THRESHOLDS.filter((f) => tiers.every((t) => t[f] === 0)));
  return tiers.map((t) => {
    const input: TierInput = { code: t.code, name: t.name, rank: t.rank, retention: t.retention, benefits: t.benefits };
    for (const f of THRESHOLDS) if (!unused.has(f)) input[f] = t[f];
    return input;
  });
}

/**
 * PATCH /v1/tiers/:code: changes only the fields sent. The stored ladder is read under the
 * ladder lock, the patch merged onto the one tier, and the whole ladder goes through the same
 * validation and write as PUT /v1/tiers (so a threshold change re-tiers set-based, kept tiers
 * only up, and bumps the program version). Errors point at the patch's own fields; one about
 * another tier (the patch crossed its threshold) names that tier. Audited as tier.updated.
 */
export async function updateTier(tx: Tx, ctx: TenantContext, code: string, patch: TierPatch, at = new Date()): Promise<TierUpdateResult> {
  markConfigWritten(tx, ctx.tenantId);
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot change the tier ladder');
  const program = await getProgram(tx, ctx);
  // Lock before reading: two concurrent patches of the ladder must not lose each other's edit.
  await lockLadder(tx, ctx);
  const before = await getLadder(tx, ctx);
  const index = before.findIndex((t) => t.code === code);
  const current = before[index];
  if (!current) throw notFound('Tier');
  const merged = mergeTierPatch(current, patch);
  const ladder = asLadderInput(before.map((t, i) => (i === index ? merged : t)));
  const mapError = (e: FieldError): FieldError => {
    const m = /^tiers\.(\d+)\.(.+)$/.exec(e.path);
    if (!m) return e;
    const i = Number(m[1]);
    return { path: m[2]!, message: i === index ? e.message : `Tier ${before[i]!.code}: ${e.message}` };
  };
  await assertValidLadder(tx, ctx, ladder, program.qualificationModel, mapError);
  const result = await writeLadder(tx, ctx, program, before, ladder, at);
  const tier = result.tiers.find((t) => t.code === code)!;
  const { upgraded, downgraded } = result;
  await recordAudit(tx, ctx, {
    action: 'tier.updated',
    targetType: 'tier',
    targetId: code,
    before: current,
    after: { tier, patch, upgraded, downgraded },
  });
  return { tier, upgraded, downgraded };
}
