import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';

// Editing and archiving the catalogue: coupon templates, rewards and plans.
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

async function enrol(t: TestTenant, unionId: string) {
  await api.http.post('/v1/members').set(t.auth).send({ unionId }).expect(201);
}
async function audits(t: TestTenant, action: string) {
  const r = await api.http.get('/v1/audit?limit=200').set(t.auth);
  return (r.body.data as { action: string; before: unknown; after: unknown }[]).filter((e) => e.action === action);
}
const template = async (t: TestTenant, code: string) =>
  (await api.http.get('/v1/coupon-templates?includeArchived=true').set(t.auth)).body.data.find((x: { code: string }) => x.code === code);

describe('coupon templates: edit and archive', () => {
  it('changes a template partially (audited with before and after); the code stays', async () => {
    const t = await api.createTenant();
    await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'T5', name: '5 off', kind: 'amount', amountCents: 500, validDays: 7, stock: 10 }).expect(201);
    const r = await api.http.patch('/v1/coupon-templates/T5').set(t.auth).send({ name: '6 off', amountCents: 600, minSpendCents: 3000, stock: 20 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ code: 'T5', name: '6 off', kind: 'amount', amountCents: 600, minSpendCents: 3000, validDays: 7, stock: 20, issued: 0, archivedAt: null });
    // Switching the kind clears the other kind's value; a percent template needs its percent.
    const p = await api.http.patch('/v1/coupon-templates/T5').set(t.auth).send({ kind: 'percent', percentBps: 1500 });
    expect(p.body).toMatchObject({ kind: 'percent', percentBps: 1500, amountCents: null });
    const entries = await audits(t, 'coupon_template.updated');
    expect(entries).toHaveLength(2);
    expect(entries.map((e) => (e.before as { name: string; kind: string }).name).sort()).toEqual(['5 off', '6 off']);
    expect(entries.map((e) => (e.after as { kind: string }).kind).sort()).toEqual(['amount', 'percent']);
  });

  it('refuses bad changes with 4xx problem+json and changes nothing', async () => {
    const t = await api.createTenant();
    await enrol(t, 'm');
    await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'A', name: 'a', kind: 'amount', amountCents: 500, validDays: 7, stock: 5 }).expect(201);
    const before = await template(t, 'A');
    const cases: [Record<string, unknown>, number, string[]][] = [
      [{}, 400, []],
      [{ code: 'B' }, 400, []],
      [{ validDays: 0 }, 400, ['validDays']],
      [{ stock: -1 }, 400, ['stock']],
      [{ amountCents: null }, 400, ['amountCents']],
      [{ kind: 'percent' }, 400, ['percentBps']],
      [{ percentBps: 100 }, 400, ['percentBps']],
      [{ name: '' }, 400, ['name']],
    ];
    for (const [body, status, paths] of cases) {
      const r = await api.http.patch('/v1/coupon-templates/A').set(t.auth).send(body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.body.code).toBe('validation_failed');
      if (paths.length) expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(paths));
    }
    expect((await api.http.patch('/v1/coupon-templates/NOPE').set(t.auth).send({ name: 'x' })).status).toBe(404);
    expect((await api.http.delete('/v1/coupon-templates/NOPE').set(t.auth)).status).toBe(404);

    // Once a coupon was issued its worth is fixed (coupons read it at use); name, days and stock may change.
    await api.http.post('/v1/members/m/coupons').set(t.auth).send({ templateCode: 'A' }).expect(201);
    const fixed = await api.http.patch('/v1/coupon-templates/A').set(t.auth).send({ amountCents: 900 });
    expect(fixed.status).toBe(409);
    expect(fixed.body.code).toBe('conflict');
    expect(await template(t, 'A')).toMatchObject({ ...before, stock: 4, issued: 1 });
    const ok = await api.http.patch('/v1/coupon-templates/A').set(t.auth).send({ name: 'renamed', validDays: 30, stock: 0 });
    expect(ok.body).toMatchObject({ name: 'renamed', validDays: 30, stock: 0, issued: 1, amountCents: 500 });
    expect((await audits(t, 'coupon_template.updated')).length).toBe(1);
  });

  it('stock set to a count applies from now on: issued coupons stay counted, the guard still holds', async () => {
    const t = await api.createTenant();
    await Promise.all(['a', 'b', 'c', 'd'].map((u) => enrol(t, u)));
    await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'S', name: 's', kind: 'free_shipping', validDays: 3, stock: 1 }).expect(201);
    await api.http.post('/v1/members/a/coupons').set(t.auth).send({ templateCode: 'S' }).expect(201);
    expect((await api.http.post('/v1/members/b/coupons').set(t.auth).send({ templateCode: 'S' })).body.code).toBe('out_of_stock');
    await api.http.patch('/v1/coupon-templates/S').set(t.auth).send({ stock: 2 }).expect(200);
    const results = await Promise.all(['b', 'c', 'd'].map((u) => api.http.post(`/v1/members/${u}/coupons`).set(t.auth).send({ templateCode: 'S' })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    expect(await template(t, 'S')).toMatchObject({ stock: 0, issued: 3 });
    await api.http.patch('/v1/coupon-templates/S').set(t.auth).send({ stock: null }).expect(200);
    await api.http.post('/v1/members/b/coupons').set(t.auth).send({ templateCode: 'S' }).expect(201);
  });

  it('an archived template issues nothing new (422 archived) and is hidden from the list; issued coupons keep working', async () => {
    const t = await api.createTenant();
    const storeId = t.stores[0]!.id;
    await enrol(t, 'm');
    await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'OLD', name: 'old', kind: 'amount', amountCents: 1000, validDays: 30 }).expect(201);
    await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'NEW', name: 'new', kind: 'amount', amountCents: 100, validDays: 30 }).expect(201);
    await api.http.post('/v1/rewards').set(t.auth).send({ code: 'R', name: 'r', pointsCost: 10, couponTemplateCode: 'OLD' }).expect(201);
    await api.http.post('/v1/members/m/points/adjust').set(t.auth).send({ delta: 100, reason: 'seed' }).expect(201);
    const held = await api.http.post('/v1/members/m/coupons').set(t.auth).send({ templateCode: 'OLD' }).expect(201);

    const del = await api.http.delete('/v1/coupon-templates/OLD').set(t.auth);
    expect(del.status).toBe(200);
    expect(del.body.archivedAt).toEqual(expect.any(String));
    // Archiving again changes nothing (one audit entry).
    expect((await api.http.delete('/v1/coupon-templates/OLD').set(t.auth)).body.archivedAt).toBe(del.body.archivedAt);
    expect(await audits(t, 'coupon_template.archived')).toHaveLength(1);

    expect((await api.http.get('/v1/coupon-templates').set(t.auth)).body.data.map((x: { code: string }) => x.code)).toEqual(['NEW']);
    expect((await api.http.get('/v1/coupon-templates?includeArchived=true').set(t.auth)).body.data.map((x: { code: string }) => x.code)).toEqual(['NEW', 'OLD']);
    expect((await api.http.get('/v1/coupon-templates?includeArchived=yes').set(t.auth)).status).toBe(400);

    const grant = await api.http.post('/v1/members/m/coupons').set(t.auth).send({ templateCode: 'OLD' });
    expect(grant.status).toBe(422);
    expect(grant.headers['content-type']).toContain('application/problem+json');
    expect(grant.body).toMatchObject({ code: 'archived', detail: 'Coupon template OLD is archived' });
    // A reward issuing it is refused too, and rolls back its points and stock.
    const ex = await api.http.post('/v1/members/m/rewards/R/exchange').set(t.auth).send({});
    expect(ex.status).toBe(422);
    expect(ex.body.code).toBe('archived');
    expect((await api.http.get('/v1/members/m').set(t.auth)).body.points.balance).toBe(100);
    // No new reward may issue it.
    const r2 = await api.http.post('/v1/rewards').set(t.auth).send({ code: 'R2', name: 'r2', pointsCost: 10, couponTemplateCode: 'OLD' });
    expect(r2.status).toBe(400);
    expect(r2.body.errors[0].path).toBe('couponTemplateCode');
    expect((await template(t, 'OLD')).issued).toBe(1);

    // The coupon issued before keeps working: the member still has it and an order uses it.
    const mine = await api.http.get('/v1/members/m/coupons?status=available').set(t.auth);
    expect(mine.body.data.map((c: { code: string }) => c.code)).toEqual([held.body.code]);
    const order = await api.http
      .post('/v1/orders')
      .set(t.auth)
      .send({ externalId: 'o1', member: 'm', storeId, amountCents: 5000, couponCodes: [held.body.code] });
    expect(order.status).toBe(201);
    expect((await api.http.get('/v1/members/m/coupons?status=used').set(t.auth)).body.data).toHaveLength(1);
  });

  it('an upgrade gift of an archived template is skipped; the tier change still goes through', async () => {
    const t = await api.createTenant();
    await enrol(t, 'g');
    await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'UP', name: 'Welcome to gold', kind: 'amount', amountCents: 2000, validDays: 30 }).expect(201);
    const tiers = (await api.http.get('/v1/tiers').set(t.auth)).body.data.map((x: Record<string, unknown>) => {
      const { code, name, rank, minGrowth, benefits } = x as { code: string; name: string; rank: number; minGrowth: number; benefits: Record<string, unknown> };
      return { code, name, rank, minGrowth, benefits: code === 'gold' ? { ...benefits, upgradeGift: { couponTemplateIds: ['UP'] } } : benefits };
    });
    await api.http.put('/v1/tiers').set(t.auth).send({ tiers }).expect(200);
    await api.http.delete('/v1/coupon-templates/UP').set(t.auth).expect(200);
    const moved = await api.http.post('/v1/members/g/tier').set(t.auth).send({ tierCode: 'gold', reason: 'promo' });
    expect(moved.status).toBe(200);
    expect(moved.body.tier.code).toBe('gold');
    expect((await api.http.get('/v1/members/g/coupons').set(t.auth)).body.data).toEqual([]);
    expect((await template(t, 'UP')).issued).toBe(0);
  });

  it('a store-bound key cannot edit or archive templates', async () => {
    const t = await api.createTenant();
    await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'A', name: 'a', kind: 'free_shipping', validDays: 3 }).expect(201);
    const key = (await api.http.post('/v1/api-keys').set(t.auth).send({ name: 'pos', storeId: t.stores[0]!.id }).expect(201)).body.key;
    expect((await api.http.patch('/v1/coupon-templates/A').set({ Authorization: `Bearer ${key}` }).send({ name: 'b' })).status).toBe(403);
    expect((await api.http.delete('/v1/coupon-templates/A').set({ Authorization: `Bearer ${key}` })).status).toBe(403);
    expect(await template(t, 'A')).toMatchObject({ name: 'a', archivedAt: null });
  });
});

describe('rewards: edit and archive', () => {
  it('changes a reward partially (audited); bad input changes nothing', async () => {
    const t = await api.createTenant();
    await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'C', name: 'c', kind: 'amount', amountCents: 100, validDays: 3 }).expect(201);
    await api.http.post('/v1/rewards').set(t.auth).send({ code: 'R', name: 'r', pointsCost: 50, stock: 3 }).expect(201);
    const r = await api.http.patch('/v1/rewards/R').set(t.auth).send({ name: 'R!', pointsCost: 80, couponTemplateCode: 'C', stock: null });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ code: 'R', name: 'R!', pointsCost: 80, couponTemplateCode: 'C', stock: null, exchanged: 0, archivedAt: null });
    expect(await audits(t, 'reward.updated')).toHaveLength(1);
    for (const [body, path] of [
      [{ pointsCost: 0 }, 'pointsCost'],
      [{ stock: -2 }, 'stock'],
      [{ couponTemplateCode: 'NOPE' }, 'couponTemplateCode'],
      [{ code: 'X' }, null],
      [{}, null],
    ] as const) {
      const bad = await api.http.patch('/v1/rewards/R').set(t.auth).send(body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
      if (path) expect(bad.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    expect((await api.http.patch('/v1/rewards/NOPE').set(t.auth).send({ name: 'x' })).status).toBe(404);
    expect((await api.http.get('/v1/rewards').set(t.auth)).body.data[0]).toMatchObject(r.body);
    expect(await audits(t, 'reward.updated')).toHaveLength(1);
    const goods = await api.http.patch('/v1/rewards/R').set(t.auth).send({ couponTemplateCode: null });
    expect(goods.body.couponTemplateCode).toBeNull();
  });

  it('an archived reward is refused for exchange (422 archived) and hidden by default; coupons it issued keep working', async () => {
    const t = await api.createTenant();
    await enrol(t, 'm');
    await api.http.post('/v1/members/m/points/adjust').set(t.auth).send({ delta: 100, reason: 'seed' }).expect(201);
    await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'C', name: 'c', kind: 'amount', amountCents: 100, validDays: 3 }).expect(201);
    await api.http.post('/v1/rewards').set(t.auth).send({ code: 'R', name: 'r', pointsCost: 30, couponTemplateCode: 'C', stock: 5 }).expect(201);
    const ex = await api.http.post('/v1/members/m/rewards/R/exchange').set(t.auth).send({}).expect(201);
    const del = await api.http.delete('/v1/rewards/R').set(t.auth);
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ code: 'R', stock: 4, exchanged: 1, archivedAt: expect.any(String) });
    expect(await audits(t, 'reward.archived')).toHaveLength(1);
    const again = await api.http.post('/v1/members/m/rewards/R/exchange').set(t.auth).send({});
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({ code: 'archived', detail: 'Reward R is archived' });
    expect((await api.http.get('/v1/members/m').set(t.auth)).body.points.balance).toBe(70);
    expect((await api.http.get('/v1/rewards').set(t.auth)).body.data).toEqual([]);
    expect((await api.http.get('/v1/rewards?includeArchived=true').set(t.auth)).body.data[0]).toMatchObject({ code: 'R', stock: 4, exchanged: 1 });
    const coupons = await api.http.get('/v1/members/m/coupons?status=available').set(t.auth);
    expect(coupons.body.data.map((c: { code: string }) => c.code)).toEqual([ex.body.coupon.code]);
  });
});

describe('plans: edit and archive', () => {
  it('changes a plan partially (audited); bad input changes nothing', async () => {
    const t = await api.createTenant();
    await api.http.post('/v1/plans').set(t.auth).send({ code: 'plus', name: 'PLUS', priceCents: 9900, period: 'year', trialDays: 7 }).expect(201);
    const r = await api.http.patch('/v1/plans/plus').set(t.auth).send({ name: 'PLUS+', priceCents: 12900, period: 'month', benefits: { discountBps: 9500 } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ code: 'plus', name: 'PLUS+', priceCents: 12900, period: 'month', trialDays: 7, benefits: { discountBps: 9500 }, archivedAt: null });
    for (const [body, path] of [
      [{ priceCents: -1 }, 'priceCents'],
      [{ period: 'week' }, 'period'],
      [{ trialDays: 400 }, 'trialDays'],
      [{ benefits: { discountBps: 20000 } }, 'benefits.discountBps'],
      [{ code: 'x' }, null],
      [{}, null],
    ] as const) {
      const bad = await api.http.patch('/v1/plans/plus').set(t.auth).send(body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      if (path) expect(bad.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    expect((await api.http.patch('/v1/plans/none').set(t.auth).send({ name: 'x' })).status).toBe(404);
    expect((await api.http.get('/v1/plans').set(t.auth)).body.data).toEqual([r.body]);
    const audit = await audits(t, 'plan.updated');
    expect(audit).toHaveLength(1);
    expect(audit[0]!.before).toMatchObject({ name: 'PLUS', priceCents: 9900 });
  });

  it('an archived plan takes no new subscribers or trials (422 archived); a member who holds it keeps it, renews and cancels', async () => {
    const t = await api.createTenant();
    await enrol(t, 'holder');
    await enrol(t, 'newcomer');
    await api.http.post('/v1/plans').set(t.auth).send({ code: 'plus', name: 'PLUS', priceCents: 9900, period: 'year', trialDays: 7 }).expect(201);
    await api.http.post('/v1/members/holder/plan').set(t.auth).send({ planCode: 'plus', action: 'subscribe', reference: 's1' }).expect(201);
    const del = await api.http.delete('/v1/plans/plus').set(t.auth);
    expect(del.status).toBe(200);
    expect(del.body.archivedAt).toEqual(expect.any(String));
    expect(await audits(t, 'plan.archived')).toHaveLength(1);
    expect((await api.http.get('/v1/plans').set(t.auth)).body.data).toEqual([]);
    expect((await api.http.get('/v1/plans?includeArchived=true').set(t.auth)).body.data[0]).toMatchObject({ code: 'plus', archivedAt: del.body.archivedAt });

    for (const action of ['subscribe', 'trial', 'renew']) {
      const r = await api.http.post('/v1/members/newcomer/plan').set(t.auth).send({ planCode: 'plus', action, reference: `n-${action}` });
      expect(r.status, action).toBe(422);
      expect(r.body).toMatchObject({ code: 'archived', detail: 'Plan plus is archived' });
    }
    expect((await api.http.get('/v1/members/newcomer').set(t.auth)).body.plan).toBeNull();

    const holder = await api.http.get('/v1/members/holder').set(t.auth);
    expect(holder.body.plan).toMatchObject({ code: 'plus' });
    const renew = await api.http.post('/v1/members/holder/plan').set(t.auth).send({ planCode: 'plus', action: 'renew', reference: 's2' });
    expect(renew.status).toBe(201);
    expect(new Date(renew.body.plan.until).getTime()).toBeGreaterThan(new Date(holder.body.plan.until).getTime());
    await api.http.post('/v1/members/holder/plan').set(t.auth).send({ planCode: 'plus', action: 'cancel', reference: 's3' }).expect(201);
  });
});
