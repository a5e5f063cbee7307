-- The schema a database sharded by tenant_id (Citus) can take as it is, with no change for a
-- single Postgres (docs/SCALING.md "Citus"):
-- 1. every foreign key ON UPDATE RESTRICT: a key column never changes (no statement updates
--    tenant_id or a referenced id), and Citus refuses CASCADE / SET NULL / SET DEFAULT on
--    update when the distribution column is part of the key;
-- 2. no Postgres enum types: text columns with CHECK constraints (Prisma casts an enum column
--    in RETURNING, which a distributed table refuses);
-- 3. unique keys on tenant tables lead with tenant_id: API keys and member tokens are unique
--    per (tenant_id, hash), and a plain index on hash serves the lookup by secret;
-- 4. up_distribute_tenant_table(), which every later migration that adds a tenant table calls
--    right after CREATE TABLE and before its foreign keys (a no-op without Citus).

-- 1. Foreign keys: whatever ON UPDATE action Prisma's default gave them, RESTRICT. Rebuilt from
-- their own definitions (NOT VALID, then validated: no long lock on a large table).
DO $$
DECLARE
  r record;
  def text;
BEGIN
  FOR r IN
    SELECT c.conrelid::regclass AS tbl, c.conname, pg_get_constraintdef(c.oid) AS def
    FROM pg_constraint c
    WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace AND c.confupdtype <> 'r'
    ORDER BY 1, 2
  LOOP
    def := regexp_replace(r.def, ' ON UPDATE (CASCADE|SET NULL|SET DEFAULT|NO ACTION)', '');
    def := regexp_replace(def, '(REFERENCES [^)]+\))', '\1 ON UPDATE RESTRICT');
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.tbl, r.conname);
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s NOT VALID', r.tbl, r.conname, def);
    EXECUTE format('ALTER TABLE %s VALIDATE CONSTRAINT %I', r.tbl, r.conname);
  END LOOP;
END
$$;

-- 2. Enum columns become text with a CHECK constraint listing the same values.
ALTER TABLE "tenants" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "tenants" ALTER COLUMN "status" TYPE TEXT USING "status"::text;
ALTER TABLE "tenants" ALTER COLUMN "status" SET DEFAULT 'active';
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_status_check" CHECK ("status" IN ('active', 'suspended'));
DROP TYPE "TenantStatus";

ALTER TABLE "stores" ALTER COLUMN "channel" TYPE TEXT USING "channel"::text;
ALTER TABLE "stores" ADD CONSTRAINT "stores_channel_check" CHECK ("channel" IN ('online', 'store', 'delivery', 'miniprogram'));
DROP TYPE "StoreChannel";

ALTER TABLE "users" ALTER COLUMN "role" TYPE TEXT USING "role"::text;
ALTER TABLE "users" ADD CONSTRAINT "users_role_check" CHECK ("role" IN ('platform_admin', 'owner', 'admin', 'staff', 'viewer'));
DROP TYPE "UserRole";

-- 3. Secrets unique per tenant; the lookup by hash alone goes through a plain index.
DROP INDEX "api_keys_hash_key";
CREATE UNIQUE INDEX "api_keys_tenant_id_hash_key" ON "api_keys"("tenant_id", "hash");
CREATE INDEX "api_keys_hash_idx" ON "api_keys"("hash");

DROP INDEX "member_sessions_hash_key";
CREATE UNIQUE INDEX "member_sessions_tenant_id_hash_key" ON "member_sessions"("tenant_id", "hash");
CREATE INDEX "member_sessions_hash_idx" ON "member_sessions"("hash");

-- 4. up_distribute_tenant_table(table): on a database where the citus extension is installed
-- and the tenant tables are distributed already (infra/citus/distribute.sql has run), shards
-- the new table by tenant_id, colocated with members; anywhere else it does nothing (the
-- distribution script takes the table later). Call it right after CREATE TABLE, before the
-- table's foreign keys: Citus takes a foreign key between distributed tables only once both
-- are distributed and colocated.
CREATE OR REPLACE FUNCTION up_distribute_tenant_table(tbl regclass)
RETURNS void
LANGUAGE plpgsql
AS $fn$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
    RETURN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = 'members'::regclass) THEN
    RETURN;
  END IF;
  EXECUTE format('SELECT create_distributed_table(%L, %L, colocate_with => %L)', tbl::text, 'tenant_id', 'members');
END
$fn$;
