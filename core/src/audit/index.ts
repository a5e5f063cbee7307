export { recordAudit, listAudit } from './audit.ts';
export type { AuditInput, AuditEntryDto } from './audit.ts';
export {
  AUDIT_ACTIONS,
  AUDIT_KINDS,
  AUDIT_ACTOR_TYPES,
  auditActionSchema,
  auditKindSchema,
  auditActorTypeSchema,
  auditQuery,
  auditEntrySchema,
} from './audit.contract.ts';
export type { AuditAction, AuditQuery } from './audit.contract.ts';
