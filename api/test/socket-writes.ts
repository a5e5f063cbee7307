import type pg from 'pg';

/**
 * Calls `seen` with every buffer the pool's connections write to Postgres from now on: each
 * pooled connection's socket is hooked once, when it is first acquired. What the app sends
 * on the wire, exactly (a pipeline is one write; node-postgres's own queries several).
 */
export function onSocketWrites(pool: pg.Pool, seen: (chunk: Buffer) => void): void {
  const hooked = new WeakSet<object>();
  pool.on('acquire', (client: pg.PoolClient) => {
    const stream = (client as unknown as { connection: { stream: { write(chunk: unknown, ...rest: unknown[]): boolean } } }).connection
      .stream;
    if (hooked.has(stream)) return;
    hooked.add(stream);
    const write = stream.write;
    stream.write = function (this: unknown, chunk: unknown, ...rest: unknown[]) {
      if (Buffer.isBuffer(chunk)) seen(chunk);
      return write.call(this, chunk, ...rest);
    };
  });
}
