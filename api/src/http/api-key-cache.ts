import type { ResolvedApiKey } from '@unionpoint/core/auth';
import type { ResolvedMemberToken } from '@unionpoint/core/sessions';

/** What a bearer resolves to: an API key, or a member session (`upm_`, told apart by `sessionId`). */
export type CachedAuth = ResolvedApiKey | ResolvedMemberToken;

/** The LISTEN/NOTIFY channel on which key revocations and tenant status changes are announced. */
export const AUTH_CHANNEL = 'unionpoint_auth';

interface Entry {
  value: CachedAuth | null;
  expires: number;
}

/**
 * Resolved API keys by key hash, for a few seconds, so that a tenant request does not read
 * api_keys + tenants each time. A revoked key (or suspended tenant) fails at once on the
 * instance that made the change and, on the others, as soon as Postgres has delivered the
 * notification to their listening connection (asynchronously, right after the commit:
 * milliseconds, more under heavy load), because:
 * - the cache is trusted only while this process LISTENs on `unionpoint_auth` (see
 *   config-listener.ts); without the listener every lookup reads the database;
 * - every revocation or tenant status change sends pg_notify in its transaction (delivered at
 *   commit) and is dropped locally by the instance that made it right after commit;
 * - a lookup that started before an invalidation never stores its (possibly stale) result
 *   (generation check).
 * Unknown keys are not cached (a key created later must work at once, and garbage keys must
 * not fill memory). Member session tokens are cached the same way (revoking a member's
 * sessions announces on the same channel); their expiry is checked on every request.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;
  private active = false;

  constructor(
    private readonly ttlMs = 10_000,
    private readonly maxEntries = 10_000,
  ) {}

  /** Whether the cache may be used: true only while the invalidation listener is connected. */
  get trusted(): boolean {
    return this.active;
  }

  setListenerActive(active: boolean): void {
    this.active = active;
    // Changes made while not listening are unknown: start over either way.
    this.invalidate();
  }

  /** A token to pass to `set`: results read before a later invalidation are not stored. */
  begin(): number {
    return this.generation;
  }

  get(hash: string, now = Date.now()): CachedAuth | undefined {
    if (!this.active) return undefined;
    const e = this.entries.get(hash);
    if (!e) return undefined;
    if (e.expires <= now) {
      this.entries.delete(hash);
      return undefined;
    }
    return e.value ?? undefined;
  }

  set(hash: string, value: CachedAuth, token: number, now = Date.now()): void {
    if (!this.active || token !== this.generation) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(hash, { value, expires: now + this.ttlMs });
  }

  /** Drops one tenant's keys, or everything when no tenant is given. */
  invalidate(tenantId?: string): void {
    this.generation++;
    if (!tenantId) {
      this.entries.clear();
      return;
    }
    for (const [hash, e] of this.entries) if (!e.value || e.value.tenantId === tenantId) this.entries.delete(hash);
  }

  get size(): number {
    return this.entries.size;
  }
}
