/** Who is acting, for authorization and the audit log. */
export type Actor =
  | { type: 'api_key'; id: string }
  | { type: 'user'; id: string; role: 'platform_admin' | 'owner' | 'admin' | 'staff' | 'viewer' }
  | { type: 'platform'; id: string }
  | { type: 'system'; id: string }
  /** A member acting for themselves through a member session (`upm_` token, /v1/me). */
  | { type: 'member'; id: string };

/**
 * The tenant a piece of work runs for. It comes only from the authenticated key or session,
 * never from a request body or query.
 */
export interface TenantContext {
  tenantId: string;
  actor: Actor;
  /** Set when the API key is bound to one store: other stores are refused. */
  boundStoreId?: string | null;
  /**
   * Set for a store-limited dashboard user (staff with `storeIds`): every store named must be
   * one of these (403 otherwise), and a write that records a store is recorded at one of them.
   */
  storeIds?: readonly string[] | null;
  requestId?: string | undefined;
}

export function systemContext(tenantId: string, job: string): TenantContext {
  return { tenantId, actor: { type: 'system', id: job } };
}
