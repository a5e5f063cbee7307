export { unsafeCreateTenant, unsafeListTenants, unsafeGetTenant, unsafeSetTenantStatus, getOwnTenant } from './tenants.ts';
export * from './tenants.contract.ts';
export { unsafeListTenantTimeZones } from './unsafe-list-tenant-time-zones.ts';
export type { TenantTimeZone } from './unsafe-list-tenant-time-zones.ts';
