export { unsafeCreateTenant, unsafeListTenants, unsafeGetTenant, unsafeSetTenantStatus } from './tenants.ts';
export * from './tenants.contract.ts';
