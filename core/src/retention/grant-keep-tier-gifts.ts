import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { lockMember } from '../identities/index.ts';
import { getProgram } from '../program/index.ts';

export interface KeepTierGift {
  memberId: string;
  tierCode: string;
  block: number;
  points: number;
}

/** Grants the points of one gift (the points ledger's credit), under the member lock. */
export type GiftCredit = (tx: Tx, ctx: TenantContext, gift: KeepTierGift & { idempotencyKey: string }) => Promise<void>;

/**
 * Daily: members who have kept a tier above the lowest for another `keepTierGiftMonths`
 * consecutive months (counted in the tenant's calendar from `tier_since`; not on a trial) get
 * the keep-tier gift once per block of months. The gift rows are chosen and recorded in one
 * statement (`ON CONFLICT DO NOTHING`: a rerun records nothing new); each new gift's points go
 * through the ledger, keyed by member, stint and block. Off while `keepTierGiftPoints` is 0.
 */
export async function grantKeepTierGifts(tx: Tx, ctx: TenantContext, credit: GiftCredit, now = new Date()): Promise<{ granted: number }> {
  const program = await getProgram(tx, ctx);
  const { keepTierGiftMonths, keepTierGiftPoints } = program.retention;
  if (keepTierGiftPoints <= 0) return { granted: 0 };
  const gifts = await tx.$queryRaw<{ member_id: string; tier_code: string; block: number; tier_since: Date }[]>`
    WITH held AS (
      SELECT m.id, m.tier_code, m.tier_since,
        (extract(year FROM age(${now}::timestamptz AT TIME ZONE ${program.timezone}, m.tier_since AT TIME ZONE ${program.timezone})) * 12
         + extract(month FROM age(${now}::timestamptz AT TIME ZONE ${program.timezone}, m.tier_since AT TIME ZONE ${program.timezone})))::int AS months
      FROM members m
      JOIN tiers t ON t.tenant_id = m.tenant_id AND t.code = m.tier_code
      WHERE m.tenant_id = ${ctx.tenantId}
        AND t.rank > (SELECT min(rank) FROM tiers WHERE tenant_id = ${ctx.tenantId})
        AND (m.trial_until IS NULL OR m.trial_until <= ${now})
        AND m.merged_into_id IS NULL
    )
    INSERT INTO keep_tier_gifts (tenant_id, member_id, tier_code, tier_since, block, points, granted_at)
    SELECT ${ctx.tenantId}, h.id, h.tier_code, h.tier_since, h.months / ${keepTierGiftMonths}::int, ${keepTierGiftPoints}::int, ${now}
    FROM held h WHERE h.months >= ${keepTierGiftMonths}::int
    ON CONFLICT DO NOTHING
    RETURNING member_id, tier_code, block, tier_since`;
  for (const g of gifts) {
    await lockMember(tx, ctx, g.member_id);
    await credit(tx, ctx, {
      memberId: g.member_id,
      tierCode: g.tier_code,
      block: g.block,
      points: keepTierGiftPoints,
      idempotencyKey: `keep_tier:${g.tier_code}:${g.tier_since.toISOString()}:${g.block}`,
    });
  }
  return { granted: gifts.length };
}
