import { Prisma, queryBatch, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { extensionsNotRegistered } from '../shared/extensions.ts';
import { newId } from '../shared/ids.ts';
import { emitEvent } from '../webhooks/index.ts';
import type { Tier } from './tiers.contract.ts';

export interface TierReached {
  memberId: string;
  tier: Tier;
  at: Date;
}
/** Called after a member moves up onto a tier (upgrade gifts hook here). */
export type TierReachedHook = (tx: Tx, ctx: TenantContext, event: TierReached) => Promise<void>;
let reachedHooks: readonly TierReachedHook[] | null = null;
/** Sets the tier-reached hooks (replacing any before): only registerCoreExtensions calls it. */
export function installTierReachedHooks(hooks: readonly TierReachedHook[]): void {
  reachedHooks = [...hooks];
}

/** Members moved set-based (a ladder change, a retention batch): a SELECT yielding `member_id`. */
export interface TiersMoved {
  members: Prisma.Sql;
  /** The time the moves take effect for what follows (the packs of the period holding it). */
  at: Date;
}
/** Called once after a set-based move, in its transaction (the new tiers' coupon packs hook here). */
export type TiersMovedHook = (tx: Tx, ctx: TenantContext, event: TiersMoved) => Promise<void>;
let movedHooks: readonly TiersMovedHook[] | null = null;
/** Sets the tiers-moved hooks (replacing any before): only registerCoreExtensions calls it. */
export function installTiersMovedHooks(hooks: readonly TiersMovedHook[]): void {
  movedHooks = [...hooks];
}

/**
 * After a set-based move (moveTiersSql): the hooks for every moved member at once, set-based
 * (no per-member call). The caller holds the members' row locks.
 */
export async function tiersMoved(tx: Tx, ctx: TenantContext, event: TiersMoved): Promise<void> {
  const hooks = movedHooks ?? extensionsNotRegistered('A set-based tier move');
  for (const hook of hooks) await hook(tx, ctx, event);
}

/**
 * Moves one member to another tier: updates the member, records the change at event time and
 * emits member.tier_changed, then runs the tier-reached hooks on a move up (unless
 * `announce: false`). The caller holds the member row lock.
 */
export async function moveTier(
  tx: Tx,
  ctx: TenantContext,
  input: { memberId: string; from: Tier | null; to: Tier; reason: string; at: Date; trialUntil?: Date | null; protectedUntil?: Date | null },
  options: { announce?: boolean } = {},
): Promise<void> {
  // One round trip (orders lift members on the hot path): the history row, then the member.
  // The row's tenant_id is the member row's own (an INSERT … SELECT a database sharded by
  // tenant_id runs on the member's shard, RLS kept), and it is written only for a member that
  // exists, as the update is.
  const protectedUntil = input.protectedUntil !== undefined ? Prisma.sql`, protected_until = ${input.protectedUntil}::timestamptz` : Prisma.empty;
  await queryBatch(tx, [
    Prisma.sql`
      INSERT INTO tier_changes (tenant_id, id, member_id, from_code, to_code, reason, at)
      SELECT m.tenant_id, ${newId('tch')}, m.id, ${input.from?.code ?? null}::text, ${input.to.code}, ${input.reason}, ${input.at}::timestamptz
      FROM members m WHERE m.tenant_id = ${ctx.tenantId} AND m.id = ${input.memberId}`,
    Prisma.sql`
      UPDATE members SET tier_code = ${input.to.code}, tier_since = ${input.at}::timestamptz, trial_until = ${input.trialUntil ?? null}::timestamptz,
                         updated_at = now() ${protectedUntil}
      WHERE tenant_id = ${ctx.tenantId} AND id = ${input.memberId}`,
  ]);
  // A merge moves the survivor without an event or the tier-reached hooks (announce: false).
  if (options.announce === false) return;
  await emitEvent(tx, ctx, {
    type: 'member.tier_changed',
    memberId: input.memberId,
    data: { memberId: input.memberId, from: input.from?.code ?? null, to: input.to.code, reason: input.reason, at: input.at.toISOString() },
  });
  // Checked on every move, not only upgrades: a process without its extensions fails at once.
  const hooks = reachedHooks ?? extensionsNotRegistered('A tier move');
  if (!input.from || input.to.rank > input.from.rank) {
    for (const hook of hooks) await hook(tx, ctx, { memberId: input.memberId, tier: input.to, at: input.at });
  }
}
