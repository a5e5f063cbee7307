import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import type { MeEntitlementDto } from './me.contract.ts';

/**
 * THE ENTITLEMENTS SEAM. The member's current entitlements of the benefit catalogue (API.md,
 * "Benefit catalogue"), for GET /v1/me and GET /v1/me/entitlements. The catalogue is not part
 * of the program yet, so a member has none: this is the one place that will read them (the
 * same use case as GET /v1/members/:member/entitlements) once it is.
 */
export async function memberEntitlements(_tx: Tx, _ctx: TenantContext, _memberId: string, _at = new Date()): Promise<MeEntitlementDto[]> {
  return [];
}
