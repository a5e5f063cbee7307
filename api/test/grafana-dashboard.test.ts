// infra/grafana/unionpoint.json is a Grafana dashboard whose every query names series the code
// registers: the API's (createApiMetrics), the worker's (createWorkerMetrics), the pool's and
// prom-client's process metrics, built here on stand-in pools and queues (nothing is collected).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '@unionpoint/db';
import { METRIC_NAMES, createRegistry, createWorkerMetrics, instrumentPool } from '@unionpoint/worker';
import { createApiMetrics } from '../src/http/metrics.ts';

const dashboard = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../infra/grafana/unionpoint.json'), 'utf8'));

const fakePool = () =>
  ({ connect: async () => ({}), totalCount: 0, idleCount: 0, waitingCount: 0, options: { max: 10 } }) as unknown as Db['pool'];

function registeredNames(): Set<string> {
  const api = createApiMetrics({ pool: fakePool() } as unknown as Db, { registry: createRegistry('api', { processMetrics: true }) });
  const workerRegistry = createRegistry('worker', { processMetrics: true });
  instrumentPool(workerRegistry, fakePool(), 'main');
  createWorkerMetrics(workerRegistry, { queues: () => ({}), pool: fakePool() });
  return new Set([...api.registry.getMetricsAsArray(), ...workerRegistry.getMetricsAsArray()].map((m) => m.name));
}

interface Panel {
  type: string;
  title: string;
  id: number;
  gridPos: { h: number; w: number; x: number; y: number };
  targets?: { refId: string; expr: string }[];
  datasource?: { uid: string };
}

describe('the Grafana dashboard', () => {
  const panels = dashboard.panels as Panel[];
  const queries = panels.flatMap((p) => p.targets ?? []);

  it('is a dashboard Grafana imports: title, uid, schema version, a Prometheus data source variable, unique panel ids', () => {
    expect(dashboard.title).toBe('Unionpoint');
    expect(dashboard.uid).toMatch(/^[\w-]{1,40}$/);
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.templating.list.find((v: { name: string }) => v.name === 'datasource')).toMatchObject({
      type: 'datasource',
      query: 'prometheus',
    });
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    for (const p of panels) {
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
      if (p.type !== 'row') {
        expect(p.datasource?.uid, p.title).toBe('${datasource}');
        expect(p.targets?.length, p.title).toBeGreaterThan(0);
      }
    }
  });

  it('queries only series the services register, and shows every one of the services’ own', () => {
    const names = registeredNames();
    const used = new Set<string>();
    for (const q of queries) {
      const series = [...q.expr.matchAll(/\b(unionpoint_[a-z0-9_]+)/g)].map((m) => m[1]!);
      expect(series.length, q.expr).toBeGreaterThan(0);
      for (const s of series) {
        const base = s.replace(/_(bucket|sum|count)$/, '');
        const known = names.has(s) || names.has(base);
        expect(known, `${s} in "${q.expr}" is not registered`).toBe(true);
        used.add(names.has(s) ? s : base);
      }
    }
    for (const own of Object.values(METRIC_NAMES)) expect(used.has(own), `${own} has no panel`).toBe(true);
  });

  it('groups per route template and queue, never by a raw path', () => {
    expect(queries.some((q) => /by \(method, route\)/.test(q.expr))).toBe(true);
    expect(queries.some((q) => /by \(queue, state\)/.test(q.expr))).toBe(true);
    expect(queries.every((q) => !/\bpath\b|url/.test(q.expr))).toBe(true);
  });
});
