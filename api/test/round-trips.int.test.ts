// The hot paths' round-trip budget, counted on the wire: every Sync of an extended-protocol
// pipeline and every simple Query ends one round trip to Postgres. The numbers are those of the
// test API (no config listener, so each request also checks the config version; the API key is
// resolved from the cache after the first request). A change that adds a statement to order
// intake or the quote fails here instead of only showing in `npm run bench`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';
import { countRoundTrips } from './round-trip-counter.ts';

let api: TestApi;
let t: TestTenant;
let roundTrips: ReturnType<typeof countRoundTrips>;
// The token's lookup by hash, the program and ladder version checks (none with the config
// listener of a running API), then the first screen as one batch — member view, coupons,
// unread count and celebration, check-in, the catalogue's entitlements and the task center's
// tasks; read-only, so no BEGIN/COMMIT.
const ME_ROUND_TRIPS = 4;

beforeAll(async () => {
  api = await startTestApi();
  t = await api.createTenant();
  roundTrips = countRoundTrips(api.db.pool);
});
afterAll(() => api.close());

/** Round trips of one call, after three warm-up calls (prepared statements, caches). */
async function measure(call: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await call(i);
  roundTrips.reset();
  await call(3);
  return roundTrips.count;
}

describe('round trips of the hot paths', () => {
  it('order intake (lock + intake read; order, credits, growth, member view; outbox + COMMIT) and the quote', async () => {
    const storeId = t.stores[0]!.id;
    await api.http.post('/v1/members').set(t.auth).send({ unionId: 'rt' }).expect(201);
    const order = await measure((i) =>
      api.http.post('/v1/orders').set(t.auth).send({ externalId: `rt-${i}`, member: 'rt', storeId, amountCents: 1000 }).expect(201),
    );
    const cart = { member: 'rt', storeId, items: [{ sku: 'a', priceCents: 1000, quantity: 2 }], shippingFeeCents: 500, redeemPoints: 10 };
    const quote = await measure(() => api.http.post('/v1/quotes').set(t.auth).send(cart).expect(200));
    expect({ order, quote }).toEqual({ order: 8, quote: 5 });
  });

  it('GET /v1/me: the token by its hash, then the first screen as one batch after the config check', async () => {
    await api.http.post('/v1/members').set(t.auth).send({ unionId: 'rt-me' }).expect(201);
    const session = await api.http.post('/v1/members/rt-me/sessions').set(t.auth).send({}).expect(201);
    const auth = { Authorization: `Bearer ${session.body.token}` };
    const me = await measure(() => api.http.get('/v1/me').set(auth).expect(200));
    expect(me).toBe(ME_ROUND_TRIPS);
  });
});
