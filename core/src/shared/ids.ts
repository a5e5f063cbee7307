import { randomBytes } from 'node:crypto';

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

/**
 * Opaque, prefixed, time-ordered ids: `mem_` + 6 bytes of milliseconds + 10 random bytes, base58.
 * Time order keeps B-tree inserts local and makes id a usable cursor tiebreaker.
 */
export function newId(prefix: string): string {
  const buf = Buffer.alloc(16);
  buf.writeUIntBE(Date.now(), 0, 6);
  randomBytes(10).copy(buf, 6);
  return `${prefix}_${base58(buf)}`;
}
