-- Recompute previews and their application (docs/rules.md §18): one row per preview, holding the
-- proposed settings, the program version it was made against (a later change makes it stale),
-- the batch cursor of the worker and the diff it accumulated.
CREATE TABLE "recompute_runs" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "proposal" JSONB NOT NULL,
    "program_version" INTEGER NOT NULL,
    "cursor" TEXT,
    "members" INTEGER NOT NULL DEFAULT 0,
    "tiers" JSONB NOT NULL DEFAULT '[]',
    "tier_changes" JSONB NOT NULL DEFAULT '[]',
    "growth_delta" BIGINT NOT NULL DEFAULT 0,
    "growth_increased" INTEGER NOT NULL DEFAULT 0,
    "growth_decreased" INTEGER NOT NULL DEFAULT 0,
    "sample" JSONB NOT NULL DEFAULT '[]',
    "applied_members" INTEGER NOT NULL DEFAULT 0,
    "applied_tier_moves" INTEGER NOT NULL DEFAULT 0,
    "applied_growth_entries" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "requested_by" TEXT,
    "applied_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "computed_at" TIMESTAMPTZ(3),
    "heartbeat_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "apply_requested_at" TIMESTAMPTZ(3),
    "applied_at" TIMESTAMPTZ(3),

    CONSTRAINT "recompute_runs_pkey" PRIMARY KEY ("tenant_id","id"),
    CONSTRAINT "recompute_runs_status_check" CHECK ("status" IN ('queued', 'running', 'ready', 'applying', 'applied', 'failed'))
);

CREATE INDEX "recompute_runs_status_heartbeat_at_idx" ON "recompute_runs"("status", "heartbeat_at");
CREATE INDEX "recompute_runs_tenant_id_created_at_idx" ON "recompute_runs"("tenant_id", "created_at");

-- Sharded by tenant where the citus extension is installed (a no-op otherwise), before its keys.
SELECT up_distribute_tenant_table('recompute_runs');

ALTER TABLE "recompute_runs" ADD CONSTRAINT "recompute_runs_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

SELECT up_tenant_table('recompute_runs', 'rw');

-- A recompute replays each member with the members merged into them: found by this index.
CREATE INDEX "members_tenant_id_merged_into_id_idx" ON "members"("tenant_id", "merged_into_id");
