-- A member's growth in a period (the member view's retention progress, /v1/me, retention's
-- period reads): entries of one member by event time. Without it the planner's generic plan
-- took ("tenant_id", "at") and read every member's entries of the period to keep one member's.
CREATE INDEX "growth_ledger_tenant_id_member_id_at_idx" ON "growth_ledger"("tenant_id", "member_id", "at");

