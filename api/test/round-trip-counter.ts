import type pg from 'pg';

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
  const counted = new WeakSet<object>();
  pool.on('acquire', (client: pg.PoolClient) => {
    const stream = (client as unknown as { connection: { stream: { write(chunk: Buffer, ...rest: unknown[]): boolean } } }).connection
      .stream;
    if (counted.has(stream)) return;
    counted.add(stream);
    const write = stream.write;
    // What goes on the wire: a chunk that is a simple Query ('Q'), or that ends with a Sync
    // ('S', length 4) — a whole pipeline written at once, or node-postgres's own Sync.
    stream.write = function (this: unknown, chunk: Buffer, ...rest: unknown[]) {
      if (Buffer.isBuffer(chunk) && chunk.length >= 5) {
        const n = chunk.length;
        const endsWithSync = chunk[n - 5] === 0x53 && chunk[n - 4] === 0 && chunk[n - 3] === 0 && chunk[n - 2] === 0 && chunk[n - 1] === 4;
        if (chunk[0] === 0x51 || endsWithSync) counter.count++;
      }
      return write.call(this, chunk, ...rest);
    };
  });
  return counter;
}
