-- Analytics reads points and growth movements of one tenant by event time over a date range
-- (issued / redeemed / expired points, active members): one range scan each.
-- CreateIndex
CREATE INDEX "points_ledger_tenant_id_at_idx" ON "points_ledger"("tenant_id", "at");

-- CreateIndex
CREATE INDEX "growth_ledger_tenant_id_at_idx" ON "growth_ledger"("tenant_id", "at");
