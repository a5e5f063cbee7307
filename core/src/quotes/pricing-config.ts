import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { getProgram, type Program } from '../program/index.ts';
import { getLadder, type Tier } from '../tiers/index.ts';

export interface PricingConfig {
  version: number;
  program: Program;
  ladder: Tier[];
}

/**
 * Program and ladder for pricing. Both come through the per-tenant config cache
 * (shared/config-cache.ts): with the LISTEN connection up, no read at all; without it, one
 * indexed read of programs.version.
 */
export async function loadPricingConfig(tx: Tx, ctx: TenantContext): Promise<PricingConfig> {
  const program = await getProgram(tx, ctx);
  const ladder = await getLadder(tx, ctx);
  return { version: program.version, program, ladder };
}

export { setConfigListenerActive, invalidateTenantConfig as invalidatePricingConfig } from '../shared/config-cache.ts';
