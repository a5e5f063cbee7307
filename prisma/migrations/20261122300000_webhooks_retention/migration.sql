-- Webhook endpoints, deliveries and attempts; tier-retention runs and keep-tier gifts.

-- CreateTable
CREATE TABLE "retention_runs" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "period_end" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "evaluated" INTEGER NOT NULL DEFAULT 0,
    "downgraded" INTEGER NOT NULL DEFAULT 0,
    "protected_count" INTEGER NOT NULL DEFAULT 0,
    "cursor" TEXT,
    "error" TEXT,
    "requested_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "heartbeat_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "retention_runs_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "keep_tier_gifts" (
    "tenant_id" TEXT NOT NULL,
    "member_id" TEXT NOT NULL,
    "tier_code" TEXT NOT NULL,
    "tier_since" TIMESTAMPTZ(3) NOT NULL,
    "block" INTEGER NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "granted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "keep_tier_gifts_pkey" PRIMARY KEY ("tenant_id","member_id","tier_since","block")
);

-- CreateTable
CREATE TABLE "webhook_endpoints" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "events" TEXT[],
    "secret" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "member_id" TEXT,
    "lane" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leased_until" TIMESTAMPTZ(3),
    "last_status_code" INTEGER,
    "last_error" TEXT,
    "replay_of" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "webhook_attempts" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "delivery_id" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "status_code" INTEGER,
    "latency_ms" INTEGER NOT NULL,
    "response_body" TEXT,
    "error" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_attempts_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateIndex
CREATE INDEX "retention_runs_status_heartbeat_at_idx" ON "retention_runs"("status", "heartbeat_at");

-- CreateIndex
CREATE UNIQUE INDEX "retention_runs_tenant_id_period_end_key" ON "retention_runs"("tenant_id", "period_end");

-- CreateIndex
CREATE INDEX "webhook_endpoints_tenant_id_created_at_id_idx" ON "webhook_endpoints"("tenant_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "webhook_deliveries_tenant_id_endpoint_id_created_at_id_idx" ON "webhook_deliveries"("tenant_id", "endpoint_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "webhook_attempts_tenant_id_delivery_id_attempt_idx" ON "webhook_attempts"("tenant_id", "delivery_id", "attempt");

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_tenant_id_endpoint_id_fkey" FOREIGN KEY ("tenant_id", "endpoint_id") REFERENCES "webhook_endpoints"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_tenant_id_delivery_id_fkey" FOREIGN KEY ("tenant_id", "delivery_id") REFERENCES "webhook_deliveries"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: composite foreign keys into tables of other modules (not declared as Prisma
-- relations, so those modules' models need no back-relation fields).
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "retention_runs" ADD CONSTRAINT "retention_runs_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "keep_tier_gifts" ADD CONSTRAINT "keep_tier_gifts_tenant_id_member_id_fkey" FOREIGN KEY ("tenant_id", "member_id") REFERENCES "members"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "retention_runs" ADD CONSTRAINT "retention_runs_status_check" CHECK ("status" IN ('queued', 'running', 'completed', 'failed'));
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_status_check" CHECK ("status" IN ('pending', 'succeeded', 'failed'));

-- One delivery per endpoint and event (replays are extra rows pointing at the original): the
-- relay inserts with ON CONFLICT DO NOTHING on this index, so relaying twice is harmless.
CREATE UNIQUE INDEX "webhook_deliveries_event_once" ON "webhook_deliveries"("tenant_id", "endpoint_id", "event_id") WHERE "replay_of" IS NULL;
-- The head of a lane: its lowest pending seq.
CREATE INDEX "webhook_deliveries_lane_pending" ON "webhook_deliveries"("tenant_id", "endpoint_id", "lane", "seq") WHERE "status" = 'pending';
-- The sweeper: pending deliveries that are due.
CREATE INDEX "webhook_deliveries_due" ON "webhook_deliveries"("next_attempt_at") WHERE "status" = 'pending';
-- The relay scans unpublished outbox rows in seq order.
CREATE INDEX IF NOT EXISTS "outbox_events_unpublished_seq" ON "outbox_events"("seq") WHERE "published_at" IS NULL;

SELECT up_tenant_table('webhook_endpoints', 'rw');
SELECT up_tenant_table('webhook_deliveries', 'rw');
SELECT up_tenant_table('webhook_attempts', 'append');
SELECT up_tenant_table('retention_runs', 'rw');
SELECT up_tenant_table('keep_tier_gifts', 'append');
