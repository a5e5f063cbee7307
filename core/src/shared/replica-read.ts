import type { Tx } from '@unionpoint/db';

/**
 * Transactions that read a streaming replica (DATABASE_REPLICA_URL): read-only, and possibly a
 * little behind the primary. The API marks them (routes marked `replica`); core code that would
 * write, or must not serve a replica's older state, asks `isReplicaRead`.
 */
const replicaReads = new WeakSet<object>();

export function markReplicaRead(tx: Tx): void {
  replicaReads.add(tx);
}

export function isReplicaRead(tx: Tx): boolean {
  return replicaReads.has(tx);
}

/**
 * Thrown by a read that finds it must write (a snapshot computed on first use) while it runs on
 * the replica: the API runs the request again on the primary. Never reaches a client.
 */
export class PrimaryRequiredError extends Error {
  constructor(why: string) {
    super(`Needs the primary: ${why}`);
    this.name = 'PrimaryRequiredError';
  }
}
