-- Shards a Unionpoint database by tenant_id on Citus (docs/SCALING.md "Citus"). Run it once,
-- on the coordinator, after `prisma migrate deploy` and before the first tenant exists:
--
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -1 -f infra/citus/distribute.sql
--
-- (`npm run citus:distribute` does the same from Node.) It refuses to run without the citus
-- extension. Later migrations keep the layout: a new tenant table calls
-- up_distribute_tenant_table() right after its CREATE TABLE, before its foreign keys, and is
-- listed below (infra/test/citus-distribution.test.ts fails on a tenant table of the Prisma
-- schema that is missing here).
--
-- Order: no order works with the composite foreign keys in place (a reference table turns the
-- tables that point at it into coordinator-local ones, and a distributed table cannot point at
-- a local one), so every foreign key is kept aside and dropped, the platform tables become
-- reference tables (a copy on every node), every tenant table is distributed by tenant_id
-- colocated with members (one tenant's rows of every table on one shard), and the keys come
-- back as they were.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
    RAISE EXCEPTION 'infra/citus/distribute.sql needs the citus extension (CREATE EXTENSION citus, then add the workers)';
  END IF;
  IF EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = 'members'::regclass) THEN
    RAISE EXCEPTION 'members is distributed already: this database has been through infra/citus/distribute.sql';
  END IF;
END
$$;

-- Foreign keys between distributed and reference tables are created one shard at a time.
SET LOCAL citus.multi_shard_modify_mode TO 'sequential';

-- 1. Keep every foreign key of the schema aside and drop it.
CREATE TEMP TABLE up_foreign_keys AS
  SELECT conrelid::regclass::text AS tbl, conname::text AS name, pg_get_constraintdef(oid) AS def
  FROM pg_constraint
  WHERE contype = 'f' AND connamespace = current_schema()::regnamespace;

DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM up_foreign_keys ORDER BY tbl, name LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.tbl, r.name);
  END LOOP;
END
$$;

-- 2. Platform tables: one copy on every node (joined with any shard, unique keys of their own).
SELECT create_reference_table('tenants');
SELECT create_reference_table('users');
-- `session` (dashboard logins; read and written by the API alone, by its primary key, never
-- joined) stays a plain table of the coordinator: the session store's upsert
-- (`ON CONFLICT (sid) DO UPDATE SET expire = to_timestamp($2)`) is refused on a distributed or
-- reference table ("functions used in the DO UPDATE SET clause … must be marked IMMUTABLE").

-- 3. Tenant tables, sharded by tenant_id and colocated with members.
SELECT create_distributed_table('members', 'tenant_id');
SELECT create_distributed_table('activities', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('api_keys', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('audit_log', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('benefit_grants', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('benefit_packs', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('benefit_usages', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('benefits', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('campaign_applications', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('campaigns', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('check_ins', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('coupon_templates', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('coupons', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('entitlement_uses', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('gift_grants', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('growth_ledger', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('idempotency_records', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('identities', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('inbox_messages', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('keep_tier_gifts', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('member_plans', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('member_sessions', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('order_refunds', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('orders', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('outbox_events', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('plan_events', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('plans', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('points_ledger', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('points_lots', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('points_lot_uses', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('imports', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('import_lines', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('recompute_runs', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('programs', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('referrals', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('retention_runs', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('rewards', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('rfm_snapshots', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('stores', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('task_events', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('task_progress', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('tasks', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('tier_changes', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('tiers', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('webhook_attempts', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('webhook_deliveries', 'tenant_id', colocate_with => 'members');
SELECT create_distributed_table('webhook_endpoints', 'tenant_id', colocate_with => 'members');

-- 4. The foreign keys again, as they were: between colocated tables on tenant_id, or to a
-- reference table.
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM up_foreign_keys ORDER BY tbl, name LOOP
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', r.tbl, r.name, r.def);
  END LOOP;
END
$$;
DROP TABLE up_foreign_keys;

-- 5. The schema's SQL functions (ids, benefit periods…) on every node, for the statements the
-- shards run. Citus propagates a function created while the extension is installed; one
-- created before it is propagated here.
DO $$
DECLARE
  f regprocedure;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure FROM pg_proc p
    WHERE p.pronamespace = current_schema()::regnamespace AND p.proname LIKE 'up\_%'
      AND NOT EXISTS (SELECT 1 FROM pg_dist_object o WHERE o.classid = 'pg_proc'::regclass AND o.objid = p.oid)
  LOOP
    PERFORM create_distributed_function(f);
  END LOOP;
END
$$;

-- 6. Citus opens its connections to the workers as the role the transaction switched to
-- (withTenant's SET LOCAL ROLE): the app role must be able to log in there. It has no
-- password: pg_hba.conf of the workers admits it from the coordinator only, or a password goes
-- into pg_dist_authinfo (docs/SCALING.md). The tenant setting reaches the workers because
-- withTenant sends it as a literal SET LOCAL inside an explicit BEGIN, which Citus forwards
-- when propagate_set_commands is 'local'.
ALTER ROLE unionpoint_app LOGIN;
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET citus.propagate_set_commands = %L', current_database(), 'local');
END
$$;

-- 7. Inserting into `users` (a staff invite, as the app role) locks the referenced `tenants`
-- shard on every node, and Citus checks that lock against the caller's rights on the table
-- ("permission denied for table tenants"): the app role reads and writes no tenant row and
-- keeps no grant on `tenants`; instead it skips Citus's check for its internal advisory locks.
ALTER ROLE unionpoint_app SET citus.skip_advisory_lock_permission_checks = on;
