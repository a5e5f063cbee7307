// The staff-roles migration on a database as it was before it: the former all-powerful `staff`
// logins become `admin`, owners and platform admins keep their roles, and the new columns
// arrive with their defaults. The earlier shape is rebuilt inside a transaction (rolled back).
import { expect, it } from 'vitest';
import { fromEarlierLayout, migrationClient } from './migration-test.ts';

const db = migrationClient();

it('turns staff into admin and keeps owner and platform_admin', () =>
  // Undo the migration: the old enum and the old columns (the role is text with a CHECK
  // since the shard-ready migration, an enum before it).
  fromEarlierLayout(
    db.client,
    '20261202200000_staff_roles',
    `
      ALTER TABLE users DROP CONSTRAINT users_role_check;
      CREATE TYPE "UserRole" AS ENUM ('platform_admin', 'owner', 'admin', 'staff', 'viewer');
      ALTER TABLE users ALTER COLUMN role TYPE "UserRole" USING role::"UserRole";
      DROP INDEX users_password_token_hash_key;
      ALTER TABLE users DROP COLUMN store_ids, DROP COLUMN disabled_at, DROP COLUMN password_token_hash,
        DROP COLUMN password_token_expires_at, DROP COLUMN invited_by;
      ALTER TABLE users ALTER COLUMN password_hash SET NOT NULL;
      CREATE TYPE "UserRole_old" AS ENUM ('platform_admin', 'owner', 'staff');
      ALTER TABLE users ALTER COLUMN role TYPE "UserRole_old" USING role::text::"UserRole_old";
      DROP TYPE "UserRole";
      ALTER TYPE "UserRole_old" RENAME TO "UserRole";
      INSERT INTO tenants (id, slug, name, updated_at) VALUES ('ten_m', 'ten-m', 'M', now());
      INSERT INTO users (id, tenant_id, email, password_hash, role) VALUES
        ('usr_o', 'ten_m', 'o@m.test', 'h', 'owner'),
        ('usr_s', 'ten_m', 's@m.test', 'h', 'staff'),
        ('usr_p', NULL, 'p@m.test', 'h', 'platform_admin');
    `,
    async () => {
      const { rows } = await db.client.query(
        `SELECT id, role::text AS role, store_ids, disabled_at, password_token_hash FROM users WHERE id IN ('usr_o', 'usr_s', 'usr_p') ORDER BY id`,
      );
      expect(rows).toEqual([
        { id: 'usr_o', role: 'owner', store_ids: [], disabled_at: null, password_token_hash: null },
        { id: 'usr_p', role: 'platform_admin', store_ids: [], disabled_at: null, password_token_hash: null },
        { id: 'usr_s', role: 'admin', store_ids: [], disabled_at: null, password_token_hash: null },
      ]);
      const { rows: values } = await db.client.query(`SELECT unnest(enum_range(NULL::"UserRole"))::text AS v`);
      expect(values.map((v) => v.v)).toEqual(['platform_admin', 'owner', 'admin', 'staff', 'viewer']);
    },
  ));
