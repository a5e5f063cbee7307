import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { memberEntitlements as catalogueEntitlements, toEntitlementDto } from '../benefits/index.ts';
import type { MeEntitlementDto } from './me.contract.ts';

/**
 * The member's current entitlements of the benefit catalogue (API.md "Benefit catalogue"), for
 * GET /v1/me and GET /v1/me/entitlements: the same use case as
 * GET /v1/members/:member/entitlements, computed at `at` from the member's tier and plan.
 */
export async function memberEntitlements(tx: Tx, ctx: TenantContext, memberId: string, at = new Date()): Promise<MeEntitlementDto[]> {
  return (await catalogueEntitlements(tx, ctx, memberId, at)).map(toEntitlementDto);
}
