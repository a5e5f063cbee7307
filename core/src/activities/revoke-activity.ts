import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { changeGrowth, GrowthKind } from '../growth/index.ts';
import { debitPoints, PointsKind } from '../points/index.ts';
import type { RevokeActivityResult } from './activities.contract.ts';
import { lockTargetMember, type MemberTarget } from '../identities/index.ts';
import { getProgram } from '../program/index.ts';
import { revokeTaskSource } from '../tasks/index.ts';

/**
 * Deletes an activity (a removed review): takes back the growth it gave (and any points, at most
 * the balance); the task windows it counted in are recounted (a window below its target loses
 * its reward). Idempotent: deleting it again returns the first result and changes nothing.
 * The caller holds the member lock.
 */
export async function revokeActivity(tx: Tx, ctx: TenantContext, target: MemberTarget, reference: string): Promise<RevokeActivityResult> {
  const memberId = await lockTargetMember(tx, ctx, target);
  const a = await tx.activity.findUnique({ where: { tenantId_memberId_reference: { tenantId: ctx.tenantId, memberId, reference } } });
  if (!a) throw notFound('Activity');
  if (a.revokedAt) return { growthClawedBack: a.growthClawedBack, pointsClawedBack: a.pointsClawedBack };
  const common = { memberId, reason: `${a.type} deleted`, reference, idempotencyKey: a.id };
  const growth =
    a.growthAwarded > 0 ? -(await changeGrowth(tx, ctx, { ...common, delta: -a.growthAwarded, kind: GrowthKind.ActivityClawback })).applied : 0;
  const points =
    a.pointsAwarded > 0
      ? (await debitPoints(tx, ctx, { ...common, points: a.pointsAwarded, kind: PointsKind.ActivityClawback, mode: 'cap' })).taken
      : 0;
  const tasks = await revokeTaskSource(tx, ctx, { memberId, source: a.id, reference, program: await getProgram(tx, ctx), at: new Date(), reason: `${a.type} deleted` });
  await tx.activity.update({
    where: { tenantId_id: { tenantId: ctx.tenantId, id: a.id } },
    data: { revokedAt: new Date(), growthClawedBack: growth + tasks.growth, pointsClawedBack: points + tasks.points },
  });
  return { growthClawedBack: growth + tasks.growth, pointsClawedBack: points + tasks.points };
}
