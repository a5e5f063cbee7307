export * from './plans.contract.ts';
export { createPlan } from './create-plan.ts';
export { listPlans } from './list-plans.ts';
export { updatePlan, archivePlan } from './update-plan.ts';
export { getActivePlans, activePlanSql, activePlanOf } from './active-plans.ts';
export type { ActivePlan } from './active-plans.ts';
export { changeMemberPlan, addPeriod } from './change-member-plan.ts';
export { mergeMemberPlan } from './merge-member-plan.ts';
