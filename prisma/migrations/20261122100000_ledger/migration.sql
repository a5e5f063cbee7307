-- CreateTable
CREATE TABLE "activities" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "member_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "item_sku" TEXT,
    "item_price_cents" INTEGER,
    "local_date" TEXT NOT NULL,
    "growth_awarded" INTEGER NOT NULL,
    "points_awarded" INTEGER NOT NULL,
    "request_hash" TEXT NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "growth_clawed_back" INTEGER NOT NULL DEFAULT 0,
    "points_clawed_back" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "activities_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "check_ins" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "member_id" TEXT NOT NULL,
    "local_date" TEXT NOT NULL,
    "streak" INTEGER NOT NULL,
    "points_awarded" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "check_ins_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "growth_ledger" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "member_id" TEXT NOT NULL,
    "store_id" TEXT,
    "delta" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT,
    "reference" TEXT,
    "idempotency_key" TEXT,
    "balance_after" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "growth_ledger_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "orders" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "store_id" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "member_id" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "completed_at" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL,
    "items" JSONB NOT NULL DEFAULT '[]',
    "coupon_codes" JSONB NOT NULL DEFAULT '[]',
    "applied_benefits" JSONB NOT NULL DEFAULT '[]',
    "request_hash" TEXT NOT NULL,
    "points_earned" INTEGER NOT NULL,
    "bonus_points" INTEGER NOT NULL DEFAULT 0,
    "growth_earned" INTEGER NOT NULL,
    "refunded_cents" INTEGER NOT NULL DEFAULT 0,
    "points_clawback_due" INTEGER NOT NULL DEFAULT 0,
    "growth_clawback_due" INTEGER NOT NULL DEFAULT 0,
    "redeem_returned" INTEGER NOT NULL DEFAULT 0,
    "response" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "orders_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "order_refunds" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "refund_id" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "points_clawed_back" INTEGER NOT NULL,
    "growth_clawed_back" INTEGER NOT NULL,
    "points_returned" INTEGER NOT NULL,
    "request_hash" TEXT NOT NULL,
    "response" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "order_refunds_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "points_ledger" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "member_id" TEXT NOT NULL,
    "store_id" TEXT,
    "delta" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT,
    "reference" TEXT,
    "idempotency_key" TEXT,
    "order_ref" TEXT,
    "balance_after" INTEGER NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "points_ledger_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "points_lots" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "member_id" TEXT NOT NULL,
    "entry_id" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "remaining" INTEGER NOT NULL,
    "earned_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "expired_at" TIMESTAMPTZ(3),
    "expiring_notified_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "points_lots_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateIndex
CREATE INDEX "activities_tenant_id_member_id_local_date_idx" ON "activities"("tenant_id", "member_id", "local_date");

-- CreateIndex
CREATE INDEX "activities_tenant_id_type_item_sku_idx" ON "activities"("tenant_id", "type", "item_sku");

-- CreateIndex
CREATE UNIQUE INDEX "activities_tenant_id_member_id_reference_key" ON "activities"("tenant_id", "member_id", "reference");

-- CreateIndex
CREATE UNIQUE INDEX "check_ins_tenant_id_member_id_local_date_key" ON "check_ins"("tenant_id", "member_id", "local_date");

-- CreateIndex
CREATE INDEX "growth_ledger_tenant_id_member_id_created_at_id_idx" ON "growth_ledger"("tenant_id", "member_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "growth_ledger_tenant_id_kind_at_idx" ON "growth_ledger"("tenant_id", "kind", "at");

-- CreateIndex
CREATE UNIQUE INDEX "growth_ledger_tenant_id_member_id_kind_idempotency_key_key" ON "growth_ledger"("tenant_id", "member_id", "kind", "idempotency_key");

-- CreateIndex
CREATE INDEX "orders_tenant_id_member_id_completed_at_idx" ON "orders"("tenant_id", "member_id", "completed_at");

-- CreateIndex
CREATE INDEX "orders_tenant_id_completed_at_idx" ON "orders"("tenant_id", "completed_at");

-- CreateIndex
CREATE UNIQUE INDEX "orders_tenant_id_store_id_external_id_key" ON "orders"("tenant_id", "store_id", "external_id");

-- CreateIndex
CREATE INDEX "order_refunds_tenant_id_created_at_idx" ON "order_refunds"("tenant_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "order_refunds_tenant_id_order_id_refund_id_key" ON "order_refunds"("tenant_id", "order_id", "refund_id");

-- CreateIndex
CREATE INDEX "points_ledger_tenant_id_member_id_created_at_id_idx" ON "points_ledger"("tenant_id", "member_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "points_ledger_tenant_id_order_ref_idx" ON "points_ledger"("tenant_id", "order_ref");

-- CreateIndex
CREATE UNIQUE INDEX "points_ledger_tenant_id_member_id_kind_idempotency_key_key" ON "points_ledger"("tenant_id", "member_id", "kind", "idempotency_key");

-- CreateIndex
CREATE INDEX "points_lots_tenant_id_member_id_earned_at_id_idx" ON "points_lots"("tenant_id", "member_id", "earned_at", "id");

-- CreateIndex
CREATE INDEX "points_lots_tenant_id_expires_at_idx" ON "points_lots"("tenant_id", "expires_at");

-- AddForeignKey
ALTER TABLE "activities" ADD CONSTRAINT "activities_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "activities" ADD CONSTRAINT "activities_tenant_id_member_id_fkey" FOREIGN KEY ("tenant_id", "member_id") REFERENCES "members"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_tenant_id_member_id_fkey" FOREIGN KEY ("tenant_id", "member_id") REFERENCES "members"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "growth_ledger" ADD CONSTRAINT "growth_ledger_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "growth_ledger" ADD CONSTRAINT "growth_ledger_tenant_id_member_id_fkey" FOREIGN KEY ("tenant_id", "member_id") REFERENCES "members"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "growth_ledger" ADD CONSTRAINT "growth_ledger_tenant_id_store_id_fkey" FOREIGN KEY ("tenant_id", "store_id") REFERENCES "stores"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_tenant_id_member_id_fkey" FOREIGN KEY ("tenant_id", "member_id") REFERENCES "members"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_tenant_id_store_id_fkey" FOREIGN KEY ("tenant_id", "store_id") REFERENCES "stores"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_refunds" ADD CONSTRAINT "order_refunds_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_refunds" ADD CONSTRAINT "order_refunds_tenant_id_order_id_fkey" FOREIGN KEY ("tenant_id", "order_id") REFERENCES "orders"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "points_ledger" ADD CONSTRAINT "points_ledger_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "points_ledger" ADD CONSTRAINT "points_ledger_tenant_id_member_id_fkey" FOREIGN KEY ("tenant_id", "member_id") REFERENCES "members"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "points_ledger" ADD CONSTRAINT "points_ledger_tenant_id_store_id_fkey" FOREIGN KEY ("tenant_id", "store_id") REFERENCES "stores"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "points_lots" ADD CONSTRAINT "points_lots_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "points_lots" ADD CONSTRAINT "points_lots_tenant_id_member_id_fkey" FOREIGN KEY ("tenant_id", "member_id") REFERENCES "members"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: invariants the database itself holds.
ALTER TABLE "points_lots" ADD CONSTRAINT "points_lots_remaining_range" CHECK ("remaining" >= 0 AND "remaining" <= "points");
ALTER TABLE "orders" ADD CONSTRAINT "orders_refunded_range" CHECK ("refunded_cents" >= 0 AND "refunded_cents" <= "amount_cents");
ALTER TABLE "order_refunds" ADD CONSTRAINT "order_refunds_amount_positive" CHECK ("amount_cents" > 0);

-- Ledgers and refunds are insert-only for the app role; lots, orders and activities carry
-- mutable counters (remaining, refunded totals, revokedAt).
SELECT up_tenant_table('points_ledger', 'append');
SELECT up_tenant_table('growth_ledger', 'append');
SELECT up_tenant_table('order_refunds', 'append');
SELECT up_tenant_table('check_ins', 'append');
SELECT up_tenant_table('points_lots', 'rw');
SELECT up_tenant_table('orders', 'rw');
SELECT up_tenant_table('activities', 'rw');
