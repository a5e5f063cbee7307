// infra/k8s is a kustomization whose manifests parse and carry what a production rollout needs:
// api, worker and web Deployments with liveness (/healthz) and readiness (/readyz for the
// servers) probes on declared ports, resource requests and limits, a grace period longer than
// the services' own shutdown timeout; an HPA for the API; the migration Job; ConfigMap and Secret
// examples every workload reads.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const dir = path.resolve(import.meta.dirname, '../k8s');

// Manifests are untyped YAML.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

function load(file: string): Doc[] {
  const docs = parseAllDocuments(readFileSync(path.join(dir, file), 'utf8'));
  for (const d of docs) expect(d.errors, `${file}: ${d.errors.map((e) => e.message).join('; ')}`).toEqual([]);
  return docs.map((d) => d.toJS()).filter(Boolean);
}

const kustomization = load('kustomization.yaml')[0];
const manifests: Doc[] = (kustomization.resources as string[]).flatMap((f) => load(f));
const byKind = (kind: string) => manifests.filter((m) => m.kind === kind);
const named = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);
const config = named('ConfigMap', 'unionpoint-config');
const quantity = (q: string | number) => {
  const s = String(q);
  if (s.endsWith('m')) return Number(s.slice(0, -1)) / 1000;
  const units: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 };
  const u = Object.keys(units).find((k) => s.endsWith(k));
  return u ? Number(s.slice(0, -u.length)) * units[u]! : Number(s);
};

describe('Kubernetes manifests', () => {
  it('are a kustomization of files that exist and parse, one image per Dockerfile target', () => {
    expect(kustomization.kind).toBe('Kustomization');
    expect(manifests.length).toBeGreaterThanOrEqual(9);
    expect((kustomization.images as { name: string }[]).map((i) => i.name).sort()).toEqual([
      'unionpoint/api',
      'unionpoint/migrate',
      'unionpoint/web',
      'unionpoint/worker',
    ]);
    const dockerfile = readFileSync(path.resolve(dir, '../docker/Dockerfile'), 'utf8');
    for (const target of ['migrate', 'api', 'worker', 'web']) expect(dockerfile).toMatch(new RegExp(`^FROM \\S+ AS ${target}$`, 'm'));
  });

  for (const [name, readiness] of [
    ['unionpoint-api', '/readyz'],
    ['unionpoint-worker', '/healthz'],
    ['unionpoint-web', '/readyz'],
  ] as const) {
    it(`${name}: probes, resources, configuration and a grace period for the graceful shutdown`, () => {
      const d = named('Deployment', name);
      expect(d, name).toBeDefined();
      expect(d.spec.selector.matchLabels).toEqual(d.spec.template.metadata.labels);
      const [c] = d.spec.template.spec.containers;
      const ports = new Set((c.ports as { name: string }[]).map((p) => p.name));
      expect(c.livenessProbe.httpGet.path).toBe('/healthz');
      expect(c.readinessProbe.httpGet.path).toBe(readiness);
      expect(ports.has(c.livenessProbe.httpGet.port)).toBe(true);
      expect(ports.has(c.readinessProbe.httpGet.port)).toBe(true);
      for (const r of ['cpu', 'memory']) {
        expect(c.resources.requests[r], `${name} requests.${r}`).toBeDefined();
        expect(c.resources.limits[r], `${name} limits.${r}`).toBeDefined();
        expect(quantity(c.resources.limits[r])).toBeGreaterThanOrEqual(quantity(c.resources.requests[r]));
      }
      expect((c.envFrom as { configMapRef?: { name: string } }[]).some((e) => e.configMapRef?.name === 'unionpoint-config')).toBe(true);
      expect(d.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
      // The pod's grace outlasts the service's own shutdown timeout.
      const env = Object.fromEntries(((c.env ?? []) as { name: string; value: string }[]).map((e) => [e.name, e.value]));
      const timeoutMs = Number(env.SHUTDOWN_TIMEOUT_MS ?? config.data.SHUTDOWN_TIMEOUT_MS);
      if (name !== 'unionpoint-web') expect(d.spec.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(timeoutMs);
    });
  }

  it('scrapes /metrics on the internal metrics port of the api and the worker, which the API Service does not expose', () => {
    expect(config.data.METRICS_PORT).toBe('9464');
    for (const name of ['unionpoint-api', 'unionpoint-worker']) {
      const d = named('Deployment', name);
      expect(d.spec.template.metadata.annotations['prometheus.io/port']).toBe('9464');
      expect(d.spec.template.spec.containers[0].ports).toContainEqual({ name: 'metrics', containerPort: 9464 });
    }
    const svc = named('Service', 'unionpoint-api');
    expect((svc.spec.ports as { port: number }[]).map((p) => p.port)).toEqual([4000]);
  });

  it('autoscales the API, and runs the migration Job with the same configuration', () => {
    const hpa = byKind('HorizontalPodAutoscaler');
    expect(hpa).toHaveLength(1);
    expect(hpa[0].apiVersion).toBe('autoscaling/v2');
    expect(hpa[0].spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'unionpoint-api' });
    expect(hpa[0].spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa[0].spec.maxReplicas).toBeGreaterThan(hpa[0].spec.minReplicas);
    expect(hpa[0].spec.metrics[0].resource.name).toBe('cpu');

    const [job] = byKind('Job');
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    const c = job.spec.template.spec.containers[0];
    expect(c.image).toBe('unionpoint/migrate');
    expect(c.envFrom).toEqual([{ configMapRef: { name: 'unionpoint-config' } }, { secretRef: { name: 'unionpoint-secrets' } }]);
    expect(c.resources.requests).toBeDefined();
  });

  it('has ConfigMap and Secret examples with what the services need, and no real secret', () => {
    expect(config.data.NODE_ENV).toBe('production');
    const secret = named('Secret', 'unionpoint-secrets');
    for (const k of ['DATABASE_URL', 'REDIS_URL', 'SESSION_SECRET', 'PLATFORM_API_KEY', 'METRICS_TOKEN'])
      expect(secret.stringData[k], k).toMatch(/change-me/);
  });
});
