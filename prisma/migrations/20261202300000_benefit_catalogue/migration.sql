-- The benefit catalogue (权益体系, docs/rules.md §14): benefits as records with grants to tiers and
-- paid plans and a quota per period; the uses (核销) of a member's entitlements, idempotent by
-- reference; and the coupon packs issued per member, benefit and period (once: the unique key).

-- CreateTable
CREATE TABLE "benefits" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "category" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "coupon_template_id" TEXT,
    "icon" TEXT,
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "benefits_pkey" PRIMARY KEY ("tenant_id","id"),
    CONSTRAINT "benefits_pack_template" CHECK (("kind" = 'coupon_pack') = ("coupon_template_id" IS NOT NULL))
);

-- CreateTable: one row per grant of a benefit to a tier (and, unless exact_tier, every higher
-- one) or to a paid plan; count NULL = unlimited.
CREATE TABLE "benefit_grants" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "benefit_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "tier_code" TEXT,
    "plan_id" TEXT,
    "exact_tier" BOOLEAN NOT NULL DEFAULT false,
    "count" INTEGER,
    "per" TEXT NOT NULL,

    CONSTRAINT "benefit_grants_pkey" PRIMARY KEY ("tenant_id","id"),
    CONSTRAINT "benefit_grants_one_source" CHECK (("tier_code" IS NULL) <> ("plan_id" IS NULL)),
    CONSTRAINT "benefit_grants_count" CHECK ("count" IS NULL OR "count" >= 1),
    CONSTRAINT "benefit_grants_per" CHECK ("per" IN ('day', 'week', 'month', 'quarter', 'year'))
);

-- CreateTable: each use of an entitlement (append-only).
CREATE TABLE "entitlement_uses" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "member_id" TEXT NOT NULL,
    "benefit_id" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "period_end" TIMESTAMPTZ(3) NOT NULL,
    "store_id" TEXT,
    "order_external_id" TEXT,
    "value_cents" INTEGER,
    "remaining_after" INTEGER,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "entitlement_uses_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable: the coupon packs issued (append-only), once per member, benefit and period.
CREATE TABLE "benefit_packs" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "member_id" TEXT NOT NULL,
    "benefit_id" TEXT NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "period_end" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "benefit_packs_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateIndex
CREATE UNIQUE INDEX "benefits_tenant_id_code_key" ON "benefits"("tenant_id", "code");
CREATE INDEX "benefit_grants_tenant_id_benefit_id_idx" ON "benefit_grants"("tenant_id", "benefit_id");
CREATE UNIQUE INDEX "entitlement_uses_tenant_id_reference_key" ON "entitlement_uses"("tenant_id", "reference");
CREATE INDEX "entitlement_uses_tenant_id_member_id_benefit_id_at_idx" ON "entitlement_uses"("tenant_id", "member_id", "benefit_id", "at");
CREATE INDEX "entitlement_uses_tenant_id_at_idx" ON "entitlement_uses"("tenant_id", "at");
CREATE UNIQUE INDEX "benefit_packs_tenant_id_member_id_benefit_id_period_start_key" ON "benefit_packs"("tenant_id", "member_id", "benefit_id", "period_start");

-- AddForeignKey
ALTER TABLE "benefits" ADD CONSTRAINT "benefits_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "benefits" ADD CONSTRAINT "benefits_tenant_id_coupon_template_id_fkey" FOREIGN KEY ("tenant_id", "coupon_template_id") REFERENCES "coupon_templates"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "benefit_grants" ADD CONSTRAINT "benefit_grants_tenant_id_benefit_id_fkey" FOREIGN KEY ("tenant_id", "benefit_id") REFERENCES "benefits"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "benefit_grants" ADD CONSTRAINT "benefit_grants_tenant_id_plan_id_fkey" FOREIGN KEY ("tenant_id", "plan_id") REFERENCES "plans"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "entitlement_uses" ADD CONSTRAINT "entitlement_uses_tenant_id_member_id_fkey" FOREIGN KEY ("tenant_id", "member_id") REFERENCES "members"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "entitlement_uses" ADD CONSTRAINT "entitlement_uses_tenant_id_benefit_id_fkey" FOREIGN KEY ("tenant_id", "benefit_id") REFERENCES "benefits"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "entitlement_uses" ADD CONSTRAINT "entitlement_uses_tenant_id_store_id_fkey" FOREIGN KEY ("tenant_id", "store_id") REFERENCES "stores"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "benefit_packs" ADD CONSTRAINT "benefit_packs_tenant_id_member_id_fkey" FOREIGN KEY ("tenant_id", "member_id") REFERENCES "members"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "benefit_packs" ADD CONSTRAINT "benefit_packs_tenant_id_benefit_id_fkey" FOREIGN KEY ("tenant_id", "benefit_id") REFERENCES "benefits"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

SELECT up_tenant_table('benefits', 'rw');
SELECT up_tenant_table('benefit_grants', 'rw');
SELECT up_tenant_table('entitlement_uses', 'append');
SELECT up_tenant_table('benefit_packs', 'append');

-- The period of a benefit grant holding `at`, in the tenant's zone `tz`, as [start, end):
-- without an anchor the calendar period (day, week from Monday, month, quarter, year); with
-- one (a paid plan's start) the n-th period counted from it, each end computed from the anchor
-- (a plan started on 31 January has monthly periods starting 29/28 February, 31 March, …).
CREATE OR REPLACE FUNCTION up_benefit_period(per text, anchor timestamptz, at timestamptz, tz text)
RETURNS tstzrange LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
  l_at timestamp := at AT TIME ZONE tz;
  l_anchor timestamp;
  step interval;
  months int;
  n int;
  s timestamp;
  e timestamp;
BEGIN
  step := CASE per WHEN 'day' THEN interval '1 day' WHEN 'week' THEN interval '7 days' WHEN 'month' THEN interval '1 month'
                   WHEN 'quarter' THEN interval '3 months' WHEN 'year' THEN interval '1 year' END;
  IF step IS NULL THEN RAISE EXCEPTION 'unknown benefit period %', per; END IF;
  IF anchor IS NULL THEN
    s := date_trunc(per, l_at);
    e := s + step;
  ELSE
    l_anchor := anchor AT TIME ZONE tz;
    IF per IN ('day', 'week') THEN
      n := floor(extract(epoch FROM (l_at - l_anchor)) / extract(epoch FROM step))::int;
    ELSE
      months := CASE per WHEN 'month' THEN 1 WHEN 'quarter' THEN 3 ELSE 12 END;
      n := floor(((extract(year FROM l_at) - extract(year FROM l_anchor)) * 12 + extract(month FROM l_at) - extract(month FROM l_anchor)) / months)::int;
      IF l_anchor + n * step > l_at THEN n := n - 1; END IF;
    END IF;
    s := l_anchor + n * step;
    e := l_anchor + (n + 1) * step;
  END IF;
  RETURN tstzrange(s AT TIME ZONE tz, e AT TIME ZONE tz, '[)');
END $$;
