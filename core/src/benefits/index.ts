export { getEffectiveBenefits } from './effective-benefits.ts';
export type { EffectiveBenefits } from './effective-benefits.ts';
