import { afterCommit, type Tx } from '@unionpoint/db';
import { isReplicaRead } from './replica-read.ts';

/**
 * Program and ladder per tenant, cached in process and keyed by programs.version. Every change
 * to either bumps the version and sends pg_notify('unionpoint_config', tenantId) in the
 * changing transaction. While a LISTEN connection is up (api/src/http/config-listener.ts), the
 * notification drops the tenant's entry in every process and entries are trusted without a
 * read; without one, one indexed read of the version decides whether the entry is current.
 *
 * A transaction that wrote config (markConfigWritten) bypasses the cache for the rest of its
 * life: it must see its own uncommitted change, and nothing it reads may be cached, because
 * it may still roll back (no notification would ever correct such an entry).
 *
 * Cached values are shared between requests: callers must not mutate them.
 */
interface Entry {
  version: number;
  values: Map<string, unknown>;
}

const entries = new Map<string, Entry>();
const MAX_TENANTS = 10_000;
let listening = false;
const written = new WeakSet<object>();

export function setConfigListenerActive(active: boolean): void {
  listening = active;
  // Changes made while not listening are unknown: start from an empty cache either way.
  entries.clear();
}

export function invalidateTenantConfig(tenantId?: string): void {
  if (tenantId) entries.delete(tenantId);
  else entries.clear();
}

/**
 * What a change invalidates: `unionpoint_config` (program and ladder: the config cache here),
 * `unionpoint_auth` (API keys and tenant status: the API's key cache).
 */
export type ChangeChannel = 'unionpoint_config' | 'unionpoint_auth';

/** Per-process caches outside core (an API instance's key cache), by the channel that invalidates them. */
export type LocalCaches = Partial<Record<ChangeChannel, (tenantId: string) => void>>;
const localCachesOf = new WeakMap<object, LocalCaches>();

/**
 * Puts an API instance's own caches in reach of the transaction its request runs in: a change
 * the transaction announces drops their entries right after its commit; other instances learn
 * it from the NOTIFY.
 */
export function attachLocalCaches(tx: Tx, caches: LocalCaches): void {
  localCachesOf.set(tx, caches);
}

/** A change of the tenant's has committed in this process: this process's caches drop it now. */
export function changeCommitted(channel: ChangeChannel, tenantId: string, caches?: LocalCaches): void {
  if (channel === 'unionpoint_config') invalidateTenantConfig(tenantId);
  caches?.[channel]?.(tenantId);
}

/**
 * The one way a use case announces a change of cached state, inside its transaction:
 * pg_notify (delivered to every process's listener at commit) and, once the transaction has
 * committed, this process's own caches at once (before the response is sent), never on
 * rollback. Routes and jobs do nothing of the kind themselves.
 */
export async function announceChange(tx: Tx, channel: ChangeChannel, tenantId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${channel}, ${tenantId})`;
  afterCommit(tx, () => changeCommitted(channel, tenantId, localCachesOf.get(tx)));
}

export function markConfigWritten(tx: Tx, tenantId: string): void {
  written.add(tx);
  entries.delete(tenantId);
}

export async function cachedConfig<T>(tx: Tx, tenantId: string, key: string, load: () => Promise<T>): Promise<T> {
  if (written.has(tx)) return load();
  let entry = entries.get(tenantId);
  // A replica may be a little behind: served from an entry the listener vouches for, but what it
  // reads is never cached (a read just after a change, its notification already taken, would put
  // the older program back, trusted until the next change).
  if (isReplicaRead(tx)) return listening && entry?.values.has(key) ? (entry.values.get(key) as T) : load();
  if (listening && entry?.values.has(key)) return entry.values.get(key) as T;
  const rows = await tx.$queryRaw<{ version: number }[]>`SELECT version FROM programs WHERE tenant_id = ${tenantId}`;
  const version = rows[0]?.version;
  if (version === undefined) return load();
  if (!entry || entry.version !== version) {
    if (!entry && entries.size >= MAX_TENANTS) entries.delete(entries.keys().next().value!);
    entry = { version, values: new Map() };
    entries.set(tenantId, entry);
  }
  if (entry.values.has(key)) return entry.values.get(key) as T;
  const value = await load();
  // Another request may have replaced the entry with a newer version meanwhile.
  if (entries.get(tenantId) === entry) entry.values.set(key, value);
  return value;
}
