export { unsafeCreateTenant, unsafeListTenants, unsafeGetTenant, unsafeSetTenantStatus, unsafeListTenantSchedules } from './tenants.ts';
export * from './tenants.contract.ts';
