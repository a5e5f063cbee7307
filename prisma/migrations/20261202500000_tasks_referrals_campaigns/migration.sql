-- The task center, referrals and member campaigns (docs/rules.md §15, docs/rules.md §16).

-- Tasks the tenant defines. The built-in first-order and profile tasks are not rows: their
-- definition comes from the program settings (tasks.firstOrder, tasks.profileCompleted), and
-- they are counted by the same statement as these.
CREATE TABLE "tasks" (
    "tenant_id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "type" TEXT NOT NULL,
    "trigger_event" TEXT NOT NULL,
    "activity_type" TEXT,
    "min_amount_cents" INTEGER,
    "target" INTEGER NOT NULL,
    "repeat" TEXT NOT NULL,
    "reward_points" INTEGER NOT NULL DEFAULT 0,
    "reward_growth" INTEGER NOT NULL DEFAULT 0,
    "reward_coupon_template_code" TEXT,
    "starts_at" TIMESTAMPTZ(3),
    "ends_at" TIMESTAMPTZ(3),
    "tiers" TEXT[],
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tasks_pkey" PRIMARY KEY ("tenant_id","code")
);

-- One row per member, task and window (local date of its start; 1970-01-01 for `once`).
-- `sources` are the events counted (order or activity ids), so a full refund recounts.
CREATE TABLE "task_progress" (
    "tenant_id" TEXT NOT NULL,
    "member_id" TEXT NOT NULL,
    "task_code" TEXT NOT NULL,
    "window_start" DATE NOT NULL,
    "window_end" DATE,
    "progress" INTEGER NOT NULL,
    "sources" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "completed_at" TIMESTAMPTZ(3),
    "rewarded_at" TIMESTAMPTZ(3),
    "reward_points" INTEGER NOT NULL DEFAULT 0,
    "reward_growth" INTEGER NOT NULL DEFAULT 0,
    "coupon_id" TEXT,
    "revoked_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "task_progress_pkey" PRIMARY KEY ("tenant_id","member_id","task_code","window_start")
);

-- A referral completes (one row) on the invitee's first qualifying order; pending ones are the
-- members whose referred_by_id names the inviter without a row here.
CREATE TABLE "referrals" (
    "tenant_id" TEXT NOT NULL,
    "invitee_id" TEXT NOT NULL,
    "inviter_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "inviter_points" INTEGER NOT NULL DEFAULT 0,
    "inviter_growth" INTEGER NOT NULL DEFAULT 0,
    "invitee_coupon_id" TEXT,
    "completed_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "referrals_pkey" PRIMARY KEY ("tenant_id","invitee_id")
);

CREATE TABLE "campaigns" (
    "tenant_id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "tier_starts" JSONB NOT NULL DEFAULT '[]',
    "skus" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "per_member_limit" INTEGER,
    "seats" INTEGER,
    "applied" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "campaigns_pkey" PRIMARY KEY ("tenant_id","code")
);

CREATE TABLE "campaign_applications" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "campaign_code" TEXT NOT NULL,
    "member_id" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "approved_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "campaign_applications_pkey" PRIMARY KEY ("tenant_id","id")
);

CREATE INDEX "tasks_tenant_id_trigger_event_idx" ON "tasks"("tenant_id", "trigger_event");
CREATE INDEX "referrals_tenant_id_inviter_id_idx" ON "referrals"("tenant_id", "inviter_id");
CREATE INDEX "members_tenant_id_referred_by_id_idx" ON "members"("tenant_id", "referred_by_id");
CREATE UNIQUE INDEX "campaign_applications_tenant_id_campaign_code_member_id_key" ON "campaign_applications"("tenant_id", "campaign_code", "member_id");
CREATE UNIQUE INDEX "campaign_applications_tenant_id_campaign_code_reference_key" ON "campaign_applications"("tenant_id", "campaign_code", "reference");

ALTER TABLE "tasks" ADD CONSTRAINT "tasks_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "task_progress" ADD CONSTRAINT "task_progress_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "task_progress" ADD CONSTRAINT "task_progress_tenant_id_member_id_fkey" FOREIGN KEY ("tenant_id", "member_id") REFERENCES "members"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_tenant_id_invitee_id_fkey" FOREIGN KEY ("tenant_id", "invitee_id") REFERENCES "members"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_tenant_id_inviter_id_fkey" FOREIGN KEY ("tenant_id", "inviter_id") REFERENCES "members"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "campaign_applications" ADD CONSTRAINT "campaign_applications_tenant_id_campaign_code_fkey" FOREIGN KEY ("tenant_id", "campaign_code") REFERENCES "campaigns"("tenant_id", "code") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "campaign_applications" ADD CONSTRAINT "campaign_applications_tenant_id_member_id_fkey" FOREIGN KEY ("tenant_id", "member_id") REFERENCES "members"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

SELECT up_tenant_table('tasks', 'rw');
SELECT up_tenant_table('task_progress', 'rw');
SELECT up_tenant_table('referrals', 'rw');
SELECT up_tenant_table('campaigns', 'rw');
SELECT up_tenant_table('campaign_applications', 'rw');

-- Activities remember the task rewards they completed, so a replay answers what the first call did.
ALTER TABLE "activities" ADD COLUMN "task_points" INTEGER NOT NULL DEFAULT 0;

-- The built-in tasks become tasks of the same kind: what members already did is carried over.
-- First order: the window of every member who earned the bonus is rewarded (revoked when a full
-- refund took it back); a member who placed a qualifying order without earning it (flagged, or a
-- zero bonus) has the window closed, as before (once per member).
INSERT INTO task_progress (tenant_id, member_id, task_code, window_start, window_end, progress, sources, completed_at, rewarded_at, reward_points, revoked_at)
SELECT o.tenant_id, o.member_id, 'first_order', DATE '1970-01-01', NULL, 1, ARRAY[o.id], o.completed_at,
       CASE WHEN o.bonus_points > 0 THEN o.completed_at END, o.bonus_points,
       CASE WHEN o.bonus_points = 0 OR o.status = 'refunded' THEN now() END
FROM (
  SELECT DISTINCT ON (o.tenant_id, o.member_id) o.*
  FROM orders o JOIN programs p ON p.tenant_id = o.tenant_id
  WHERE o.bonus_points > 0 OR o.amount_cents >= GREATEST(1, COALESCE((p.settings->'tasks'->>'firstOrderMinAmountCents')::int, 0))
  ORDER BY o.tenant_id, o.member_id, (o.bonus_points > 0) DESC, o.completed_at, o.id
) o;
-- Profile: every member who recorded profile_completed has the task done.
INSERT INTO task_progress (tenant_id, member_id, task_code, window_start, window_end, progress, sources, completed_at, rewarded_at, reward_points)
SELECT a.tenant_id, a.member_id, 'profile_completed', DATE '1970-01-01', NULL, 1, ARRAY[a.id], a.created_at, a.created_at, a.points_awarded
FROM (SELECT DISTINCT ON (tenant_id, member_id) * FROM activities WHERE type = 'profile_completed' ORDER BY tenant_id, member_id, points_awarded DESC, created_at) a;
