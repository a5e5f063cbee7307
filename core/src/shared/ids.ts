import { randomFillSync } from 'node:crypto';
import { Prisma } from '@unionpoint/db';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** base58 of random bytes (no 0/O/I/l), used for ids and API keys. */
export function base58(bytes: Buffer): string {
  let n = BigInt('0x' + (bytes.toString('hex') || '0'));
  let out = '';
  while (n > 0n) {
    out = ALPHABET[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = ALPHABET[0] + out;
  }
  return out;
}

let lastMs = 0;
const last = Buffer.alloc(16);
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

/**
 * Opaque, prefixed, time-ordered ids: `mem_` + 6 bytes of milliseconds + 10 random bytes, base58.
 * Time order keeps B-tree inserts local and makes id a usable cursor tiebreaker. Monotonic in
 * a process: a second id in the same millisecond is the previous one plus one, so entries a
 * use case writes together list in the order it wrote them.
 */
export function newId(prefix: string): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    last.writeUIntBE(now, 0, 6);
    if (poolAt + 10 > pool.length) {
      randomFillSync(pool);
      poolAt = 0;
    }
    pool.copy(last, 6, poolAt, poolAt + 10);
    poolAt += 10;
  } else {
    // Same millisecond (or the clock stepped back): increment the 80-bit random part.
    for (let i = 15; i >= 6; i--) {
      last[i] = (last[i]! + 1) & 0xff;
      if (last[i] !== 0) break;
    }
  }
  return `${prefix}_${base58(last)}`;
}

/**
 * newId() inside a set-based statement: the same scheme (prefix, 6 bytes of the milliseconds
 * of `at`, 10 bytes), minted per row by the `up_new_id` SQL function (`up_seeded_id` with a seed). With a `seed` the 10
 * bytes come from md5(seed), so the same seed and time give the same id: a rerun that inserts
 * with ON CONFLICT DO NOTHING adds nothing.
 */
export function newIdSql(prefix: string, at: Date | Prisma.Sql, seed?: Prisma.Sql): Prisma.Sql {
  const time = at instanceof Date ? Prisma.sql`${at}::timestamptz` : at;
  // Seeded: up_seeded_id, the same bytes as up_new_id with a seed but IMMUTABLE (a statement
  // minting only seeded ids stays on the tenant's shard on Citus; see its migration).
  if (seed) return Prisma.sql`up_seeded_id(${prefix}::text, ${time}, ${seed}::text)`;
  return Prisma.sql`up_new_id(${prefix}::text, ${time}, NULL::text)`;
}
