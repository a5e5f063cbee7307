import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import type { InboxRenderContext } from '../inbox/index.ts';
import { memberViewConfig, type MemberViewConfig } from '../members/index.ts';

/** Program and ladder (cached per tenant) as the member center and the inbox read them. */
export async function centerConfig(tx: Tx, ctx: TenantContext): Promise<MemberViewConfig> {
  return memberViewConfig(tx, ctx);
}

/** How inbox messages are worded for this tenant: its language, currency, zone and tier names. */
export function inboxRender(config: MemberViewConfig): InboxRenderContext {
  const byCode = new Map(config.ladder.map((t) => [t.code, t]));
  return {
    language: config.program.language,
    currency: config.program.currency,
    timeZone: config.program.timezone,
    tierName: (code) => byCode.get(code)?.name ?? code,
    tierRank: (code) => byCode.get(code)?.rank ?? -1,
  };
}
