-- Catalogue archiving: a coupon template, reward or plan is archived instead of deleted, since
-- issued coupons, exchange history and subscriptions keep referencing it. An archived row is
-- refused for new grants, exchanges and subscriptions; what was already issued keeps working.
ALTER TABLE "coupon_templates" ADD COLUMN "archived_at" TIMESTAMPTZ(3);
ALTER TABLE "rewards" ADD COLUMN "archived_at" TIMESTAMPTZ(3);
ALTER TABLE "plans" ADD COLUMN "archived_at" TIMESTAMPTZ(3);
