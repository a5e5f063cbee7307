-- CreateTable
CREATE TABLE "benefit_usages" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "member_id" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "amount_cents" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "benefit_usages_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "gift_grants" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "member_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "gift_grants_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "coupon_templates" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "amount_cents" INTEGER,
    "percent_bps" INTEGER,
    "min_spend_cents" INTEGER NOT NULL DEFAULT 0,
    "valid_days" INTEGER NOT NULL,
    "stock" INTEGER,
    "issued" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "coupon_templates_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "coupons" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "template_id" TEXT NOT NULL,
    "member_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'available',
    "source" TEXT NOT NULL,
    "source_ref" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "order_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "coupons_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "plans" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "price_cents" INTEGER NOT NULL,
    "period" TEXT NOT NULL,
    "trial_days" INTEGER NOT NULL DEFAULT 0,
    "benefits" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "plans_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "member_plans" (
    "tenant_id" TEXT NOT NULL,
    "member_id" TEXT NOT NULL,
    "plan_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "until" TIMESTAMPTZ(3) NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "member_plans_pkey" PRIMARY KEY ("tenant_id","member_id")
);

-- CreateTable
CREATE TABLE "plan_events" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "member_id" TEXT NOT NULL,
    "plan_id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "until" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "plan_events_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "rewards" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "points_cost" INTEGER NOT NULL,
    "coupon_template_id" TEXT,
    "stock" INTEGER,
    "exchanged" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rewards_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateIndex
CREATE INDEX "benefit_usages_tenant_id_created_at_idx" ON "benefit_usages"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "benefit_usages_tenant_id_kind_created_at_idx" ON "benefit_usages"("tenant_id", "kind", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "gift_grants_tenant_id_member_id_kind_key_key" ON "gift_grants"("tenant_id", "member_id", "kind", "key");

-- CreateIndex
CREATE UNIQUE INDEX "coupon_templates_tenant_id_code_key" ON "coupon_templates"("tenant_id", "code");

-- CreateIndex
CREATE INDEX "coupons_tenant_id_member_id_status_expires_at_idx" ON "coupons"("tenant_id", "member_id", "status", "expires_at");

-- CreateIndex
CREATE INDEX "coupons_tenant_id_order_id_idx" ON "coupons"("tenant_id", "order_id");

-- CreateIndex
CREATE UNIQUE INDEX "coupons_tenant_id_code_key" ON "coupons"("tenant_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "plans_tenant_id_code_key" ON "plans"("tenant_id", "code");

-- CreateIndex
CREATE INDEX "member_plans_tenant_id_until_idx" ON "member_plans"("tenant_id", "until");

-- CreateIndex
CREATE INDEX "plan_events_tenant_id_member_id_created_at_idx" ON "plan_events"("tenant_id", "member_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "plan_events_tenant_id_reference_key" ON "plan_events"("tenant_id", "reference");

-- CreateIndex
CREATE UNIQUE INDEX "rewards_tenant_id_code_key" ON "rewards"("tenant_id", "code");

-- AddForeignKey
ALTER TABLE "benefit_usages" ADD CONSTRAINT "benefit_usages_tenant_id_member_id_fkey" FOREIGN KEY ("tenant_id", "member_id") REFERENCES "members"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gift_grants" ADD CONSTRAINT "gift_grants_tenant_id_member_id_fkey" FOREIGN KEY ("tenant_id", "member_id") REFERENCES "members"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "coupon_templates" ADD CONSTRAINT "coupon_templates_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_tenant_id_template_id_fkey" FOREIGN KEY ("tenant_id", "template_id") REFERENCES "coupon_templates"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_tenant_id_member_id_fkey" FOREIGN KEY ("tenant_id", "member_id") REFERENCES "members"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plans" ADD CONSTRAINT "plans_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "member_plans" ADD CONSTRAINT "member_plans_tenant_id_member_id_fkey" FOREIGN KEY ("tenant_id", "member_id") REFERENCES "members"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "member_plans" ADD CONSTRAINT "member_plans_tenant_id_plan_id_fkey" FOREIGN KEY ("tenant_id", "plan_id") REFERENCES "plans"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plan_events" ADD CONSTRAINT "plan_events_tenant_id_member_id_fkey" FOREIGN KEY ("tenant_id", "member_id") REFERENCES "members"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plan_events" ADD CONSTRAINT "plan_events_tenant_id_plan_id_fkey" FOREIGN KEY ("tenant_id", "plan_id") REFERENCES "plans"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rewards" ADD CONSTRAINT "rewards_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rewards" ADD CONSTRAINT "rewards_tenant_id_coupon_template_id_fkey" FOREIGN KEY ("tenant_id", "coupon_template_id") REFERENCES "coupon_templates"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: invariants the application relies on, enforced by the database too.
ALTER TABLE "coupon_templates" ADD CONSTRAINT "coupon_templates_stock_nonneg" CHECK ("stock" IS NULL OR "stock" >= 0);
ALTER TABLE "coupon_templates" ADD CONSTRAINT "coupon_templates_kind" CHECK ("kind" IN ('amount', 'percent', 'free_shipping'));
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_status" CHECK ("status" IN ('available', 'used'));
ALTER TABLE "rewards" ADD CONSTRAINT "rewards_stock_nonneg" CHECK ("stock" IS NULL OR "stock" >= 0);
ALTER TABLE "rewards" ADD CONSTRAINT "rewards_points_cost_pos" CHECK ("points_cost" > 0);
ALTER TABLE "plans" ADD CONSTRAINT "plans_period" CHECK ("period" IN ('month', 'year'));
ALTER TABLE "member_plans" ADD CONSTRAINT "member_plans_status" CHECK ("status" IN ('active', 'trial', 'cancelled'));

SELECT up_tenant_table('coupon_templates', 'rw');
SELECT up_tenant_table('coupons', 'rw');
SELECT up_tenant_table('rewards', 'rw');
SELECT up_tenant_table('plans', 'rw');
SELECT up_tenant_table('member_plans', 'rw');
SELECT up_tenant_table('plan_events', 'append');
SELECT up_tenant_table('benefit_usages', 'append');
SELECT up_tenant_table('gift_grants', 'append');
