export { recordAudit, listAudit } from './audit.ts';
export type { AuditInput, AuditEntryDto } from './audit.ts';
