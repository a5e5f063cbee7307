// The settlement migration on a database as it was before it: lots take the store of the entry
// that created them (null when it had none), and no consumption before it is attributed (no use
// rows). The earlier shape is rebuilt inside a transaction (rolled back).
import { expect, it } from 'vitest';
import { fromEarlierLayout, migrationClient } from './migration-test.ts';

const db = migrationClient();

it('backfills each lot’s store from its entry and records no earlier use', () =>
  fromEarlierLayout(
    db.client,
    '20261203300000_points_settlement',
    `
      DROP TABLE points_lot_uses;
      ALTER TABLE points_lots DROP COLUMN store_id;
      INSERT INTO tenants (id, slug, name, updated_at) VALUES ('ten_s', 'ten-s', 'S', now());
      INSERT INTO tiers (tenant_id, code, name, rank) VALUES ('ten_s', 'bronze', 'Bronze', 0);
      INSERT INTO stores (tenant_id, id, code, name, channel) VALUES ('ten_s', 'sto_a', 'a', 'A', 'store');
      INSERT INTO members (tenant_id, id, union_id, tier_code, points_balance, updated_at) VALUES ('ten_s', 'mem_1', 'u1', 'bronze', 70, now());
      INSERT INTO points_ledger (tenant_id, id, member_id, store_id, delta, kind, balance_after, at) VALUES
        ('ten_s', 'ple_1', 'mem_1', 'sto_a', 100, 'earn_order', 100, now()),
        ('ten_s', 'ple_2', 'mem_1', NULL, 20, 'birthday_gift', 120, now()),
        ('ten_s', 'ple_3', 'mem_1', 'sto_a', -50, 'redeem', 70, now());
      INSERT INTO points_lots (tenant_id, id, member_id, entry_id, points, remaining, earned_at) VALUES
        ('ten_s', 'lot_1', 'mem_1', 'ple_1', 100, 50, now()),
        ('ten_s', 'lot_2', 'mem_1', 'ple_2', 20, 20, now());
    `,
    async () => {
      const { rows } = await db.client.query(`SELECT id, store_id, remaining FROM points_lots WHERE tenant_id = 'ten_s' ORDER BY id`);
      expect(rows).toEqual([
        { id: 'lot_1', store_id: 'sto_a', remaining: 50 },
        { id: 'lot_2', store_id: null, remaining: 20 },
      ]);
      const uses = await db.client.query(`SELECT count(*)::int AS n FROM points_lot_uses`);
      expect(uses.rows[0].n).toBe(0);
      // The app role may add uses but never change or remove one (insert-only, like the ledger).
      const grants = await db.client.query(
        `SELECT privilege_type FROM information_schema.role_table_grants WHERE grantee = 'unionpoint_app' AND table_name = 'points_lot_uses' ORDER BY 1`,
      );
      expect(grants.rows.map((r) => r.privilege_type)).toEqual(['INSERT', 'SELECT']);
    },
  ));
