-- Tenant isolation, hand-written.
--
-- The app connects with DATABASE_URL (the migrating owner, which bypasses RLS for
-- platform-level work such as API-key lookup and the outbox relay). Every tenant request runs
-- inside withTenant(): it sets app.tenant_id and switches to unionpoint_app for that
-- transaction only. unionpoint_app has no BYPASSRLS, and every tenant-owned table has forced
-- RLS with one policy on tenant_id, so a query that forgets its tenant filter still sees only
-- its own tenant, and an insert for another tenant is refused.

-- Roles are cluster-wide: create idempotently, tolerating a concurrent creator.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'unionpoint_app') THEN
    BEGIN
      CREATE ROLE unionpoint_app NOLOGIN NOBYPASSRLS;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END IF;
END
$$;

-- The connecting role must be allowed to SET ROLE unionpoint_app (a no-op for superusers).
DO $$
BEGIN
  EXECUTE format('GRANT unionpoint_app TO %I', current_user);
EXCEPTION WHEN others THEN
  NULL;
END
$$;

GRANT USAGE ON SCHEMA public TO unionpoint_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO unionpoint_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO unionpoint_app;

-- up_tenant_table(table, access, column): enable and force RLS with the tenant policy and grant
-- the app role what it may do. access: 'rw' (select/insert/update/delete), 'append'
-- (select/insert: ledgers, audit, outbox; corrections are new rows), 'read' (select only).
-- Every later migration that adds a tenant-owned table calls this.
CREATE OR REPLACE FUNCTION up_tenant_table(tbl regclass, access text DEFAULT 'rw', col text DEFAULT 'tenant_id')
RETURNS void
LANGUAGE plpgsql
AS $fn$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', tbl);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s USING (%I = current_setting(''app.tenant_id'', true)) WITH CHECK (%I = current_setting(''app.tenant_id'', true))',
    tbl, col, col);
  EXECUTE format('REVOKE ALL ON %s FROM unionpoint_app', tbl);
  IF access = 'rw' THEN
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO unionpoint_app', tbl);
  ELSIF access = 'append' THEN
    EXECUTE format('GRANT SELECT, INSERT ON %s TO unionpoint_app', tbl);
  ELSIF access = 'read' THEN
    EXECUTE format('GRANT SELECT ON %s TO unionpoint_app', tbl);
  ELSE
    RAISE EXCEPTION 'unknown access mode %', access;
  END IF;
END
$fn$;

SELECT up_tenant_table('tenants', 'read', 'id');
SELECT up_tenant_table('stores', 'rw');
SELECT up_tenant_table('users', 'rw');
SELECT up_tenant_table('api_keys', 'rw');
SELECT up_tenant_table('members', 'rw');
SELECT up_tenant_table('identities', 'rw');
SELECT up_tenant_table('programs', 'rw');
SELECT up_tenant_table('tiers', 'rw');
SELECT up_tenant_table('tier_changes', 'append');
SELECT up_tenant_table('audit_log', 'append');
SELECT up_tenant_table('outbox_events', 'append');
SELECT up_tenant_table('idempotency_records', 'rw');
-- session (express-session store) is platform-level: no grant to the app role.
