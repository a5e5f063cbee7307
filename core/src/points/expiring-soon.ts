import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import type { MemberDto } from '../members/index.ts';
import { EXPIRING_NOTICE_DAYS } from './notify-expiring-points.ts';

/**
 * Member-view extension: fills points.expiringSoon (points left per expiry date within the
 * notice window) for a whole page of members in ONE query.
 */
export async function fillExpiringSoon(tx: Tx, ctx: TenantContext, members: MemberDto[], now = new Date()): Promise<void> {
  if (members.length === 0) return;
  const horizon = new Date(now.getTime() + EXPIRING_NOTICE_DAYS * 86_400_000);
  // Raw SQL: one round trip and no per-request query compilation (the member view is on every
  // hot path's response).
  const groups = await tx.$queryRaw<{ member_id: string; expires_at: Date; points: bigint }[]>`
    SELECT member_id, expires_at, SUM(remaining) AS points
    FROM points_lots
    WHERE tenant_id = ${ctx.tenantId} AND member_id = ANY(${members.map((m) => m.id)}::text[])
      AND remaining > 0 AND expires_at >= ${now}::timestamptz AND expires_at <= ${horizon}::timestamptz
    GROUP BY member_id, expires_at
    ORDER BY member_id, expires_at`;
  const byMember = new Map<string, { points: number; expiresAt: string }[]>();
  for (const g of groups) {
    const list = byMember.get(g.member_id) ?? [];
    list.push({ points: Number(g.points), expiresAt: g.expires_at.toISOString() });
    byMember.set(g.member_id, list);
  }
  for (const m of members) m.points.expiringSoon = byMember.get(m.id) ?? [];
}
