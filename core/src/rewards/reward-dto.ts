import type { RewardDto } from './rewards.contract.ts';

type RewardRow = { id: string; code: string; name: string; pointsCost: number; stock: number | null; exchanged: number; archivedAt: Date | null; createdAt: Date; template: { code: string } | null };

export const toRewardDto = (r: RewardRow): RewardDto => ({
  id: r.id,
  code: r.code,
  name: r.name,
  pointsCost: r.pointsCost,
  couponTemplateCode: r.template?.code ?? null,
  stock: r.stock,
  exchanged: r.exchanged,
  archivedAt: r.archivedAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
});
