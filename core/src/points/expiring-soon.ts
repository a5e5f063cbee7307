import { Prisma } from '@unionpoint/db';
import type { MemberViewExtension } from '../members/index.ts';
import { EXPIRING_NOTICE_DAYS } from './notify-expiring-points.ts';

/**
 * Member-view extension: points.expiringSoon (points left per expiry date within the notice
 * window), read along with the member row.
 */
export const expiringSoonExtension: MemberViewExtension = {
  column(_ctx, now) {
    const horizon = new Date(now.getTime() + EXPIRING_NOTICE_DAYS * 86_400_000);
    return Prisma.sql`COALESCE((
      SELECT json_agg(json_build_object('points', g.points, 'expiresAt', g.expires_at) ORDER BY g.expires_at)
      FROM (SELECT l.expires_at, SUM(l.remaining) AS points FROM points_lots l
            WHERE l.tenant_id = m.tenant_id AND l.member_id = m.id AND l.remaining > 0
              AND l.expires_at >= ${now}::timestamptz AND l.expires_at <= ${horizon}::timestamptz
            GROUP BY l.expires_at) g), '[]'::json)`;
  },
  apply(member, value) {
    const groups = (typeof value === 'string' ? JSON.parse(value) : (value ?? [])) as { points: number; expiresAt: string }[];
    member.points.expiringSoon = groups.map((g) => ({ points: Number(g.points), expiresAt: new Date(g.expiresAt).toISOString() }));
  },
};
