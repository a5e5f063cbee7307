-- Member-center leftovers of the benefit catalogue and the task center:
-- 1. A merge moves the merged member's entitlement uses and coupon packs to the survivor: the
--    two tables stay append-only except for the member they belong to.
-- 2. A task reward coupon is revoked (no longer usable) when the reward is taken back.
-- 3. A time-zone change applies to benefit periods and task windows from the next period on:
--    the program keeps the zone before the change and when it changed, and the period
--    function computes the period that was running at the change in the old zone.

GRANT UPDATE ("member_id") ON "entitlement_uses" TO unionpoint_app;
GRANT UPDATE ("member_id") ON "benefit_packs" TO unionpoint_app;

ALTER TABLE "coupons" DROP CONSTRAINT "coupons_status";
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_status" CHECK ("status" IN ('available', 'used', 'revoked'));

ALTER TABLE "programs" ADD COLUMN "previous_timezone" TEXT;
ALTER TABLE "programs" ADD COLUMN "timezone_changed_at" TIMESTAMPTZ(3);

-- The index of the period holding the local time `l_at`: calendar periods counted from
-- 2000-01-03 (a Monday) for days and weeks and from 2000-01-01 for months, quarters and years;
-- with an anchor (a plan's start, local) the n-th period from it.
CREATE OR REPLACE FUNCTION up_period_index(per text, l_anchor timestamp, l_at timestamp)
RETURNS int LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  origin timestamp := COALESCE(l_anchor, CASE WHEN per IN ('day', 'week') THEN timestamp '2000-01-03' ELSE timestamp '2000-01-01' END);
  step interval := CASE per WHEN 'day' THEN interval '1 day' WHEN 'week' THEN interval '7 days' WHEN 'month' THEN interval '1 month'
                            WHEN 'quarter' THEN interval '3 months' WHEN 'year' THEN interval '1 year' END;
  months int;
  n int;
BEGIN
  IF step IS NULL THEN RAISE EXCEPTION 'unknown benefit period %', per; END IF;
  IF per IN ('day', 'week') THEN
    n := floor(extract(epoch FROM (l_at - origin)) / extract(epoch FROM step))::int;
  ELSE
    months := CASE per WHEN 'month' THEN 1 WHEN 'quarter' THEN 3 ELSE 12 END;
    n := floor(((extract(year FROM l_at) - extract(year FROM origin)) * 12 + extract(month FROM l_at) - extract(month FROM origin)) / months)::int;
    IF origin + n * step > l_at THEN n := n - 1; END IF;
  END IF;
  RETURN n;
END $$;

-- The n-th period (see up_period_index) in the zone `tz`, as [start, end).
CREATE OR REPLACE FUNCTION up_period_bounds(per text, anchor timestamptz, n int, tz text)
RETURNS tstzrange LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
  origin timestamp := COALESCE(anchor AT TIME ZONE tz, CASE WHEN per IN ('day', 'week') THEN timestamp '2000-01-03' ELSE timestamp '2000-01-01' END);
  step interval := CASE per WHEN 'day' THEN interval '1 day' WHEN 'week' THEN interval '7 days' WHEN 'month' THEN interval '1 month'
                            WHEN 'quarter' THEN interval '3 months' WHEN 'year' THEN interval '1 year' END;
BEGIN
  RETURN tstzrange((origin + n * step) AT TIME ZONE tz, (origin + (n + 1) * step) AT TIME ZONE tz, '[)');
END $$;

-- The period holding `at` when the tenant's zone changed from `prev_tz` to `tz` at
-- `changed_at` (docs/rules.md §14): the change applies from the next period on. The period
-- running at the change (index n0 in the old zone) keeps its start and runs until the later of
-- its end in the old zone and its end in the new one, so it is never cut short and never comes
-- back; the new zone's periods follow, the first one starting no earlier than that. Periods
-- before it are the old zone's. Each period index is used once, so no period — and no coupon
-- pack — repeats across the change. Without a change (prev_tz NULL) it is the one-zone function.
CREATE OR REPLACE FUNCTION up_benefit_period(per text, anchor timestamptz, at timestamptz, tz text, prev_tz text, changed_at timestamptz)
RETURNS tstzrange LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
  n0 int;
  s0 timestamptz;
  e0 timestamptz;
  r tstzrange;
BEGIN
  IF prev_tz IS NULL OR changed_at IS NULL OR prev_tz = tz THEN
    RETURN up_benefit_period(per, anchor, at, tz);
  END IF;
  n0 := up_period_index(per, anchor AT TIME ZONE prev_tz, changed_at AT TIME ZONE prev_tz);
  r := up_period_bounds(per, anchor, n0, prev_tz);
  s0 := lower(r);
  e0 := greatest(upper(r), upper(up_period_bounds(per, anchor, n0, tz)));
  IF at < s0 THEN
    RETURN up_period_bounds(per, anchor, up_period_index(per, anchor AT TIME ZONE prev_tz, at AT TIME ZONE prev_tz), prev_tz);
  END IF;
  IF at < e0 THEN RETURN tstzrange(s0, e0, '[)'); END IF;
  r := up_period_bounds(per, anchor, up_period_index(per, anchor AT TIME ZONE tz, at AT TIME ZONE tz), tz);
  RETURN tstzrange(greatest(lower(r), e0), upper(r), '[)');
END $$;
