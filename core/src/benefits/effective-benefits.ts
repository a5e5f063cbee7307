import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { getProgram, type MemberDay } from '../program/index.ts';
import { getLadder, type Benefits } from '../tiers/index.ts';

export interface EffectiveBenefits extends Benefits {
  tierCode: string | null;
  /** Member day in force for this member: the tier's own, else the program's. */
  memberDay: MemberDay | null;
}

/**
 * The benefits a member has right now: their tier's, with the program-wide member day as the
 * fallback. A guest (null) gets the entry tier's benefits.
 */
export async function getEffectiveBenefits(tx: Tx, ctx: TenantContext, memberId: string | null): Promise<EffectiveBenefits> {
  const [ladder, program] = await Promise.all([getLadder(tx, ctx), getProgram(tx, ctx)]);
  let tierCode: string | null = null;
  if (memberId) {
    const m = await tx.member.findUnique({ where: { tenantId_id: { tenantId: ctx.tenantId, id: memberId } }, select: { tierCode: true } });
    if (!m) throw notFound('Member');
    tierCode = m.tierCode;
  }
  const tier = tierCode ? ladder.find((t) => t.code === tierCode) : null;
  const benefits = memberId ? (tier?.benefits ?? {}) : {};
  return { ...benefits, tierCode, memberDay: benefits.memberDay ?? program.earn.memberDay ?? null };
}
