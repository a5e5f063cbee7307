export * from './campaigns.contract.ts';
export { createCampaign, listCampaigns, applyToCampaign, listApplications, approveApplication, earlyAccessSql, guestEarlyAccess, earlyAccessRefusals } from './campaigns.ts';
export type { EarlyAccessRefusal } from './campaigns.ts';
