// The task-events migration on a database as it was before it: the event ids the progress rows
// held in `sources` become one row per member and event, listing every window that counted it,
// and the arrays go. The earlier shape is rebuilt inside a transaction (rolled back).
import { expect, it } from 'vitest';
import { fromEarlierLayout, migrationClient } from './migration-test.ts';

const db = migrationClient();

it('moves each counted event to its own row with the windows it counted, and drops the arrays', () =>
  fromEarlierLayout(
    db.client,
    '20261205000000_task_events',
    `
      DROP TABLE task_events;
      ALTER TABLE task_progress ADD COLUMN sources TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
      INSERT INTO tenants (id, slug, name, updated_at) VALUES ('ten_k', 'ten-k', 'K', now());
      INSERT INTO tiers (tenant_id, code, name, rank) VALUES ('ten_k', 'bronze', 'Bronze', 0);
      INSERT INTO members (tenant_id, id, union_id, tier_code, updated_at) VALUES
        ('ten_k', 'mem_1', 'u1', 'bronze', now()), ('ten_k', 'mem_2', 'u2', 'bronze', now());
      INSERT INTO task_progress (tenant_id, member_id, task_code, window_start, window_end, progress, sources, updated_at) VALUES
        ('ten_k', 'mem_1', 'ever', DATE '1970-01-01', NULL, 3, ARRAY['ord_a', 'ord_b', 'ord_c'], timestamptz '2026-06-03 10:00+08'),
        ('ten_k', 'mem_1', 'day', DATE '2026-06-01', DATE '2026-06-02', 2, ARRAY['ord_a', 'ord_b'], timestamptz '2026-06-01 12:00+08'),
        ('ten_k', 'mem_1', 'day', DATE '2026-06-03', DATE '2026-06-04', 1, ARRAY['ord_c'], timestamptz '2026-06-03 10:00+08'),
        ('ten_k', 'mem_1', 'profile_completed', DATE '1970-01-01', NULL, 1, ARRAY['profile'], timestamptz '2026-05-01 10:00+08'),
        ('ten_k', 'mem_2', 'ever', DATE '1970-01-01', NULL, 0, ARRAY[]::text[], timestamptz '2026-06-01 10:00+08');
    `,
    async () => {
      const { rows } = await db.client.query(
        `SELECT member_id, source, task_codes, array(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(window_starts) AS d) AS window_starts
       FROM task_events WHERE tenant_id = 'ten_k' ORDER BY member_id, source`,
      );
      expect(rows).toEqual([
        { member_id: 'mem_1', source: 'ord_a', task_codes: ['day', 'ever'], window_starts: ['2026-06-01', '1970-01-01'] },
        { member_id: 'mem_1', source: 'ord_b', task_codes: ['day', 'ever'], window_starts: ['2026-06-01', '1970-01-01'] },
        { member_id: 'mem_1', source: 'ord_c', task_codes: ['day', 'ever'], window_starts: ['2026-06-03', '1970-01-01'] },
        { member_id: 'mem_1', source: 'profile', task_codes: ['profile_completed'], window_starts: ['1970-01-01'] },
      ]);
      // Progress is untouched; the arrays are gone.
      const progress = await db.client.query(`SELECT sum(progress)::int AS n FROM task_progress WHERE tenant_id = 'ten_k'`);
      expect(progress.rows[0].n).toBe(7);
      const column = await db.client.query(
        `SELECT 1 FROM information_schema.columns WHERE table_name = 'task_progress' AND column_name = 'sources'`,
      );
      expect(column.rows).toHaveLength(0);
      // A tenant table like the others: the app role reads and writes it under the tenant policy.
      const grants = await db.client.query(
        `SELECT privilege_type FROM information_schema.role_table_grants WHERE grantee = 'unionpoint_app' AND table_name = 'task_events' ORDER BY 1`,
      );
      expect(grants.rows.map((r) => r.privilege_type)).toEqual(['DELETE', 'INSERT', 'SELECT', 'UPDATE']);
      const rls = await db.client.query(`SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = 'task_events'`);
      expect(rls.rows[0]).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
    },
  ));
