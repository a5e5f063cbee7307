-- The audit log's filters (GET /v1/audit ?member=, ?actorId=, ?action= / ?kind=): each an
-- index whose prefix is the tenant and the filter and whose tail is the page order, so a
-- filtered page is read in order and stops after one page.
CREATE INDEX "audit_log_tenant_id_target_type_target_id_created_at_id_idx" ON "audit_log"("tenant_id", "target_type", "target_id", "created_at" DESC, "id" DESC);
CREATE INDEX "audit_log_tenant_id_actor_id_created_at_id_idx" ON "audit_log"("tenant_id", "actor_id", "created_at" DESC, "id" DESC);
CREATE INDEX "audit_log_tenant_id_action_created_at_id_idx" ON "audit_log"("tenant_id", "action", "created_at" DESC, "id" DESC);
