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
    const connection = (client as unknown as { connection: { sync(): void; query(text: string): void } }).connection;
    if (counted.has(connection)) return;
    counted.add(connection);
    const { sync, query } = connection;
    connection.sync = function (this: unknown) {
      counter.count++;
      return sync.call(this);
    };
    connection.query = function (this: unknown, text: string) {
      counter.count++;
      return query.call(this, text);
    };
  });
  return counter;
}
