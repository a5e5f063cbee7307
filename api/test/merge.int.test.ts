import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';
import { balanceOf, enrol, expectLedgerConsistent, inTenant, order, refund } from './ledger/helpers.ts';

let api: TestApi;
let t: TestTenant;
beforeAll(async () => {
  api = await startTestApi();
  t = await api.createTenant();
});
afterAll(async () => {
  await expectLedgerConsistent(api, t.id);
  await api.close();
});

describe('member merge', () => {
  it('moves identities, orders, points and growth to the survivor and keeps the ledgers provable', async () => {
    const [mall, shop] = t.stores;
    await api.http.post('/v1/members').set(t.auth).send({ unionId: 'keep', openId: 'wx-keep', storeId: mall!.id });
    await api.http.post('/v1/members').set(t.auth).send({ unionId: 'dup', openId: 'pos-dup', storeId: shop!.id });
    expect((await order(api, t, { externalId: 'k1', member: 'keep', amountCents: 30_000 })).status).toBe(201);
    expect((await order(api, t, { externalId: 'd1', member: 'dup', amountCents: 80_000 })).status).toBe(201);
    const keepBefore = await balanceOf(api, t, 'keep');
    const dupBefore = await balanceOf(api, t, 'dup');

    const merged = await api.http.post('/v1/members/keep/merge').set(t.auth).send({ fromUnionId: 'dup' });
    expect(merged.status).toBe(200);
    expect(merged.body.unionId).toBe('keep');
    expect(merged.body.points.balance).toBe(keepBefore.points + dupBefore.points);
    expect(merged.body.growth.value).toBe(keepBefore.growth + dupBefore.growth);
    expect(merged.body.identities).toEqual(
      expect.arrayContaining([
        { storeId: mall!.id, openId: 'wx-keep' },
        { storeId: shop!.id, openId: 'pos-dup' },
      ]),
    );
    // The growth of both (300 + 800 = 1100) crosses Silver's 1000.
    expect(merged.body.tier.code).toBe('silver');

    // The merged unionId and its openId now address the survivor; it is not listed on its own.
    expect((await api.http.get('/v1/members/dup').set(t.auth)).body.id).toBe(merged.body.id);
    expect((await api.http.get(`/v1/members/openid:pos-dup?storeId=${shop!.id}`).set(t.auth)).body.id).toBe(merged.body.id);
    const list = await api.http.get('/v1/members?limit=200').set(t.auth);
    expect(list.body.data.map((m: { unionId: string }) => m.unionId)).not.toContain('dup');

    // The merged member's order is now the survivor's: a refund claws back from the survivor.
    const r = await refund(api, t, 'd1', { refundId: 'r1', amountCents: 80_000 });
    expect(r.status).toBe(201);
    // The purchase points of d1 (800) go back, and so does the first-order bonus d1 earned (100).
    expect((await balanceOf(api, t, 'keep')).points).toBe(keepBefore.points + dupBefore.points - 800 - 100);

    const audit = await api.http.get('/v1/audit?limit=20').set(t.auth);
    expect(audit.body.data.map((e: { action: string }) => e.action)).toContain('member.merged');
    await expectLedgerConsistent(api, t.id);
  });

  it('repays a debt from the moved points and keeps lots equal to the balance', async () => {
    await enrol(api, t, 'debtor');
    await enrol(api, t, 'saver');
    await order(api, t, { externalId: 'debt-1', member: 'debtor', amountCents: 10_000 });
    await api.http.post('/v1/members/debtor/points/redeem').set(t.auth).send({ points: 200, reference: 'spend-all' }) // 100 earned + the first-order task's 100;
    await refund(api, t, 'debt-1', { refundId: 'debt-r', amountCents: 10_000 });
    // The full refund takes back the purchase points and the first-order bonus: 200 of debt.
    expect((await balanceOf(api, t, 'debtor')).points).toBe(-200);
    await order(api, t, { externalId: 'save-1', member: 'saver', amountCents: 50_000 });
    const saver = await balanceOf(api, t, 'saver');
    const res = await api.http.post('/v1/members/debtor/merge').set(t.auth).send({ fromUnionId: 'saver' });
    expect(res.status).toBe(200);
    expect(res.body.points.balance).toBe(saver.points - 200);
    await expectLedgerConsistent(api, t.id);
  });

  it('moves coupons and the longer-running paid plan to the survivor', async () => {
    await enrol(api, t, 'plan-keep');
    await enrol(api, t, 'plan-dup');
    expect((await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'TEN', name: '10 off', kind: 'amount', amountCents: 1000, validDays: 30 })).status).toBe(201);
    expect((await api.http.post('/v1/members/plan-dup/coupons').set(t.auth).send({ templateCode: 'TEN' })).status).toBe(201);
    expect((await api.http.post('/v1/plans').set(t.auth).send({ code: 'year', name: 'Yearly', priceCents: 25800, period: 'year', benefits: {} })).status).toBe(201);
    const sub = await api.http.post('/v1/members/plan-dup/plan').set(t.auth).send({ planCode: 'year', action: 'subscribe', reference: 'sub-1' });
    expect(sub.status).toBe(201);
    const res = await api.http.post('/v1/members/plan-keep/merge').set(t.auth).send({ fromUnionId: 'plan-dup' });
    expect(res.status).toBe(200);
    expect(res.body.plan?.code).toBe('year');
    const coupons = await api.http.get('/v1/members/plan-keep/coupons').set(t.auth);
    expect(coupons.body.data.map((c: { template: { code: string } | string }) => (typeof c.template === 'string' ? c.template : c.template.code))).toContain('TEN');
  });

  it('refuses merging a member into itself, unknown members and other tenants', async () => {
    await enrol(api, t, 'solo');
    const self = await api.http.post('/v1/members/solo/merge').set(t.auth).send({ fromUnionId: 'solo' });
    expect(self.status).toBe(422);
    expect((await api.http.post('/v1/members/solo/merge').set(t.auth).send({ fromUnionId: 'ghost' })).status).toBe(404);
    expect((await api.http.post('/v1/members/solo/merge').set(t.auth).send({})).status).toBe(400);
    const other = await api.createTenant();
    await enrol(api, other, 'theirs');
    expect((await api.http.post('/v1/members/solo/merge').set(t.auth).send({ fromUnionId: 'theirs' })).status).toBe(404);
    expect((await api.http.get('/v1/members/theirs').set(other.auth)).status).toBe(200);
  });

  it('chained merges keep every alias pointing at the final survivor', async () => {
    for (const u of ['c1', 'c2', 'c3']) await enrol(api, t, u);
    expect((await api.http.post('/v1/members/c2/merge').set(t.auth).send({ fromUnionId: 'c1' })).status).toBe(200);
    const last = await api.http.post('/v1/members/c3/merge').set(t.auth).send({ fromUnionId: 'c2' });
    expect(last.status).toBe(200);
    expect((await api.http.get('/v1/members/c1').set(t.auth)).body.id).toBe(last.body.id);
    expect((await api.http.post('/v1/members/c3/merge').set(t.auth).send({ fromUnionId: 'c1' })).status).toBe(422);
  });

  it('a merged unionId addresses the survivor everywhere: quotes price and redeem against its balance, referrals credit it', async () => {
    await enrol(api, t, 'q-keep');
    await enrol(api, t, 'q-dup');
    expect((await order(api, t, { externalId: 'qk1', member: 'q-keep', amountCents: 50_000 })).status).toBe(201);
    expect((await api.http.post('/v1/members/q-keep/merge').set(t.auth).send({ fromUnionId: 'q-dup' })).status).toBe(200);
    const keep = await balanceOf(api, t, 'q-keep');
    expect(keep.points).toBeGreaterThan(0);

    const q = await api.http
      .post('/v1/quotes')
      .set(t.auth)
      .send({ member: 'q-dup', items: [{ sku: 'tea', priceCents: 100_000, quantity: 1 }], shippingFeeCents: 0, redeemPoints: 100 });
    expect(q.status, JSON.stringify(q.body)).toBe(200);
    expect(q.body.member).toMatchObject({ unionId: 'q-keep', pointsBalance: keep.points });
    expect(q.body.pointsRedeemed).toBe(100);

    const invitee = await api.http.post('/v1/members').set(t.auth).send({ unionId: 'q-invitee', referredBy: 'q-dup' });
    expect(invitee.status).toBe(201);
    const [row] = await inTenant(api, t.id, (tx) =>
      tx.$queryRaw<{ referred_by_id: string }[]>`SELECT referred_by_id FROM members WHERE tenant_id = ${t.id} AND union_id = 'q-invitee'`,
    );
    const survivor = (await api.http.get('/v1/members/q-keep').set(t.auth)).body.id;
    expect(row!.referred_by_id).toBe(survivor);
  });
});
