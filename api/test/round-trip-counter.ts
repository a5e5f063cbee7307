import type pg from 'pg';
import { onSocketWrites } from './socket-writes.ts';

/**
 * Counts round trips to Postgres on the wire: every Sync of an extended-protocol pipeline and
 * every simple Query ends one. Hooks each pooled connection once, when it is first acquired.
 */
export function countRoundTrips(pool: pg.Pool): { count: number; reset(): void } {
  const counter = {
    count: 0,
    reset() {
      counter.count = 0;
    },
  };
  // A chunk that is a simple Query ('Q'), or that ends with a Sync ('S', length 4): a whole
  // pipeline written at once, or node-postgres's own Sync.
  onSocketWrites(pool, (chunk) => {
    const n = chunk.length;
    if (n < 5) return;
    const endsWithSync = chunk[n - 5] === 0x53 && chunk[n - 4] === 0 && chunk[n - 3] === 0 && chunk[n - 2] === 0 && chunk[n - 1] === 4;
    if (chunk[0] === 0x51 || endsWithSync) counter.count++;
  });
  return counter;
}
