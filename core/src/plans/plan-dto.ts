import { benefitsSchema } from '../tiers/index.ts';
import type { PlanDto } from './plans.contract.ts';

type PlanRow = { id: string; code: string; name: string; priceCents: number; period: string; trialDays: number; benefits: unknown; archivedAt: Date | null; createdAt: Date };

export const toPlanDto = (r: PlanRow): PlanDto => ({
  id: r.id,
  code: r.code,
  name: r.name,
  priceCents: r.priceCents,
  period: r.period as PlanDto['period'],
  trialDays: r.trialDays,
  benefits: benefitsSchema.parse(r.benefits ?? {}),
  archivedAt: r.archivedAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
});
