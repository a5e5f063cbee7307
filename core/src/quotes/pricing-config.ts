import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { toProgram, type Program } from '../program/index.ts';
import { getLadder, type Tier } from '../tiers/index.ts';
import { notFound } from '../shared/errors.ts';

export interface PricingConfig {
  version: number;
  program: Program;
  ladder: Tier[];
}

/**
 * Program and ladder per tenant, cached in process. Every change to either bumps
 * programs.version and sends pg_notify('unionpoint_config', tenantId) in the same transaction
 * (updateProgram, replaceLadder). With a LISTEN connection up (api/src/http/config-listener.ts)
 * the notification drops the entry in every process, and the cache is trusted; without one,
 * one indexed read of the version decides whether the cached copy is current.
 */
const cache = new Map<string, PricingConfig>();
const MAX_ENTRIES = 10_000;
let listenerActive = false;

/** Set by the process's LISTEN connection: while it is up, cached entries are trusted. */
export function setConfigListenerActive(active: boolean): void {
  listenerActive = active;
  if (!active) cache.clear();
}

export function invalidatePricingConfig(tenantId?: string): void {
  if (tenantId) cache.delete(tenantId);
  else cache.clear();
}

export async function loadPricingConfig(tx: Tx, ctx: TenantContext): Promise<PricingConfig> {
  const cached = cache.get(ctx.tenantId);
  if (cached && listenerActive) return cached;
  const rows = await tx.$queryRaw<{ version: number }[]>`SELECT version FROM programs WHERE tenant_id = ${ctx.tenantId}`;
  const version = rows[0]?.version;
  if (version === undefined) throw notFound('Program');
  if (cached && cached.version === version) return cached;
  const [row, ladder] = await Promise.all([tx.program.findUniqueOrThrow({ where: { tenantId: ctx.tenantId } }), getLadder(tx, ctx)]);
  const config = { version: row.version, program: toProgram(row), ladder };
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(ctx.tenantId, config);
  return config;
}
