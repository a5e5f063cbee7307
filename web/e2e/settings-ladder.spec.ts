// Program settings, the ladder as cards and merchant units: every journey at 1440 and 390 px,
// in English and in Chinese, with a full-page screenshot of each screen kept as an artifact.
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { at, login, seed, state } from './fixtures';

type Lang = 'en' | 'zh-CN';
const VIEWS: { name: string; width: number; height: number; lang: Lang }[] = [
  { name: 'desktop-en', width: 1440, height: 900, lang: 'en' },
  { name: 'desktop-zh', width: 1440, height: 900, lang: 'zh-CN' },
  { name: 'phone-en', width: 390, height: 844, lang: 'en' },
  { name: 'phone-zh', width: 390, height: 844, lang: 'zh-CN' },
];

async function open(page: Page, view: (typeof VIEWS)[number], path: string) {
  await page.setViewportSize({ width: view.width, height: view.height });
  await login(page, state().owner);
  await page.context().addCookies([{ name: 'up.lang', value: view.lang, url: process.env.E2E_BASE_URL! }]);
  await page.goto(at(path));
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByText(view.lang === 'en' ? 'Loading…' : '加载中…')).toHaveCount(0);
}

async function shot(page: Page, info: TestInfo, name: string) {
  await page.screenshot({ path: info.outputPath(`${name}.png`), fullPage: true });
}

/** No sideways scroll, no message key, no basis points or cents on screen. */
async function looksRight(page: Page, what: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${what} scrolls sideways`).toBe(0);
  const text = await page.locator('main').innerText();
  expect(text, `${what} shows a message key`).not.toMatch(/\b(?:settings|ladder|units|problem|form|tiers|catalogue|coupons|plans|benefits|weekday|period)\.[a-z][\w.]*/);
  expect(text, `${what} shows bps or cents`).not.toMatch(/\bbps\b|基点|\(cents\)|（分）|Bps|Cents/);
}

async function api<T = Record<string, unknown>>(method: 'GET' | 'PATCH' | 'PUT', path: string, body?: unknown): Promise<T> {
  const r = await fetch(`${state().url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${state().tenantKey}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

const L = (lang: Lang, en: string, zh: string) => (lang === 'en' ? en : zh);

for (const view of VIEWS) {
  test.describe(view.name, () => {
    test(`program settings: every section, in merchant units (${view.name})`, async ({ page }, info) => {
      await open(page, view, '/settings');
      for (const s of [
        L(view.lang, 'Earning points', '积分获取'),
        L(view.lang, 'Growth value', '成长值规则'),
        L(view.lang, 'Refunds', '退款'),
        L(view.lang, 'RFM scoring', 'RFM 评分'),
        L(view.lang, 'Keeping a tier (保级)', '保级'),
        L(view.lang, 'Currency and time zone', '货币与时区'),
      ])
        await expect(page.getByRole('heading', { name: s, exact: true })).toBeVisible();
      // Money in yuan, shares in percent.
      await expect(page.getByLabel(L(view.lang, 'Reviews count from item price', '评价计入的最低商品价格'))).toHaveValue('20');
      await expect(page.getByLabel(L(view.lang, 'Most of an order paid with points', '积分最多抵扣订单比例'))).toHaveValue('50');
      // A value out of range is refused on the field, in the user's language.
      const warn = page.getByLabel(L(view.lang, 'Warn days before period end', '提前提醒天数'));
      await warn.fill('91');
      await expect(page.getByText(L(view.lang, 'Out of the allowed range. (0–90)', '超出允许范围。（0–90）'))).toBeVisible();
      await expect(warn).toHaveAttribute('aria-invalid', 'true');
      // The member day opens its fields, the discount in 折 / % off.
      await page.getByLabel(L(view.lang, 'Member day', '会员日'), { exact: true }).check();
      await expect(page.getByText(L(view.lang, '% off', '折'), { exact: true }).first()).toBeVisible();
      await expect(page.getByRole('region', { name: L(view.lang, 'Unsaved changes', '未保存的修改') })).toBeVisible();
      await shot(page, info, `settings-${view.name}`);
      await looksRight(page, `/settings (${view.name})`);
      await page.getByRole('button', { name: L(view.lang, 'Discard', '放弃修改') }).click();
      await expect(page.getByRole('region', { name: L(view.lang, 'Unsaved changes', '未保存的修改') })).toHaveCount(0);
    });

    test(`the ladder as cards, in merchant units (${view.name})`, async ({ page }, info) => {
      await open(page, view, '/tiers');
      const cards = page.getByRole('main').getByRole('list').first().locator(':scope > li');
      const tiers = (await api<{ data: { name: string }[] }>('GET', '/v1/tiers')).data;
      await expect(cards).toHaveCount(tiers.length);
      // In rank order, each with how it is reached and its perks in words.
      for (const [i, t] of tiers.entries()) await expect(cards.nth(i)).toContainText(t.name);
      const silver = page.getByRole('listitem', { name: tiers[1]!.name, exact: true });
      await expect(silver).toContainText(L(view.lang, 'growth', '成长值'));
      await expect(silver).toContainText(L(view.lang, 'Member price 2% off', '会员价 98折'));
      await expect(silver).toContainText(L(view.lang, '×1.2 points', '积分 ×1.2'));
      await expect(silver).toContainText(L(view.lang, 'Free shipping over ¥39.00', '满 ¥39.00 包邮'));
      await expect(page.getByRole('listitem', { name: tiers[0]!.name, exact: true })).toContainText(L(view.lang, 'Open to every member', '所有会员'));
      await shot(page, info, `ladder-${view.name}`);
      await looksRight(page, `/tiers (${view.name})`);

      // Editing a card opens its fields in merchant units.
      await silver.getByRole('button', { name: L(view.lang, `Edit ${tiers[1]!.name}`, `编辑${tiers[1]!.name}`) }).click();
      const form = page.getByRole('form', { name: L(view.lang, `Edit ${tiers[1]!.name}`, `编辑${tiers[1]!.name}`) });
      await expect(form.getByLabel(L(view.lang, 'Member price', '会员价折扣'), { exact: true })).toHaveValue(L(view.lang, '2', '98'));
      await expect(form.getByLabel(L(view.lang, 'Points multiplier', '积分倍数'), { exact: true })).toHaveValue('1.2');
      await expect(form.getByLabel(L(view.lang, 'Free shipping over', '包邮门槛'), { exact: true })).toHaveValue('39');
      await shot(page, info, `ladder-edit-${view.name}`);
      await looksRight(page, `/tiers editing (${view.name})`);
    });

    test(`catalogue pages in merchant units (${view.name})`, async ({ page }, info) => {
      await open(page, view, '/coupons');
      for (const path of ['/coupons', '/plans', '/rewards', '/benefits']) {
        await page.goto(at(path));
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        await expect(page.getByText(view.lang === 'en' ? 'Loading…' : '加载中…')).toHaveCount(0);
        await shot(page, info, `${path.slice(1)}-${view.name}`);
        await looksRight(page, `${path} (${view.name})`);
      }
      if (view.lang === 'zh-CN') {
        // The benefits page shows the tier discounts as 折.
        await expect(page.getByRole('main')).toContainText('98折');
      }
    });
  });
}

test('a settings save sends only what changed: everything else the API holds survives', async ({ page }, info) => {
  // Values across the program, set through the API (not touched on screen).
  await api('PATCH', '/v1/program', {
    checkIn: { rewards: [2, 4, 6] },
    rfm: { weights: { monetary: 3 } },
    tasks: { firstOrderMinAmountCents: 5050 },
    refunds: { clawback: 'cap_at_balance' },
    trial: { days: 10 },
  });
  const before = await api<Record<string, unknown> & { retention: Record<string, unknown>; version: number }>('GET', '/v1/program');
  await open(page, VIEWS[0]!, '/settings');
  await expect(page.getByLabel('First order from')).toHaveValue('50.5');
  await expect(page.getByLabel('Check-in points by streak day')).toHaveValue('2, 4, 6');

  // Leaving with unsaved changes asks first; staying keeps them.
  await page.getByLabel('Warn days before period end').fill('21');
  page.once('dialog', (d) => void d.dismiss());
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Tiers' }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByLabel('Warn days before period end')).toHaveValue('21');

  // An invalid field blocks the save (nothing is sent).
  await page.getByLabel('Trial length').fill('abc');
  await expect(page.getByText('Not a number in this unit.')).toBeVisible();
  const bar = page.getByRole('region', { name: 'Unsaved changes' });
  await expect(bar).toContainText('2 unsaved change(s)');
  await bar.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('toast')).toHaveText('Fix the fields marked in red first');
  expect((await api<{ version: number }>('GET', '/v1/program')).version).toBe(before.version);
  await page.getByLabel('Trial length').fill('10');

  await bar.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('toast')).toHaveText('Program settings saved');
  await expect(bar).toHaveCount(0);
  await shot(page, info, 'settings-saved');
  const after = await api<Record<string, unknown> & { version: number }>('GET', '/v1/program');
  expect(after).toEqual({ ...before, retention: { ...before.retention, warnDays: 21 }, version: after.version });
  expect(after.version).toBeGreaterThan(before.version);
});

test('switching the qualification model asks first and explains the effect', async ({ page }, info) => {
  const before = await api<{ qualificationModel: string; version: number }>('GET', '/v1/program');
  await open(page, VIEWS[0]!, '/settings');
  await page.getByLabel('Qualification model').selectOption('spend');
  await page.getByRole('region', { name: 'Unsaved changes' }).getByRole('button', { name: 'Save' }).click();
  const dialog = page.getByRole('dialog', { name: 'Switch to Rolling 365-day spend?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Tiers will be decided by Rolling 365-day spend instead of Growth value');
  await expect(dialog).toContainText('365-day spend threshold');
  await shot(page, info, 'settings-model-confirm');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  const after = await api<{ qualificationModel: string; version: number }>('GET', '/v1/program');
  expect(after).toEqual(before);
});

test('a tier edit previews the effect, then saves only what changed (fields not on screen kept)', async ({ page }, info) => {
  // A member with 700 growth: below Silver (1,000), above the 600 the edit will set.
  await seed('POST', '/v1/members', { unionId: 'E2E-LADDER' });
  const stores = (await api<{ data: { id: string; code: string }[] }>('GET', '/v1/stores')).data;
  await seed('POST', '/v1/orders', { externalId: 'e2e-ladder-1', member: 'E2E-LADDER', storeId: stores.find((x) => x.code === 'shop1')!.id, amountCents: 70_000 });
  // Thresholds of models not in use and gifts: not in the growth model's form.
  const initial = (await api<{ data: Record<string, unknown>[] }>('GET', '/v1/tiers')).data;
  const withHidden = initial.map((t, i) => ({
    ...t,
    minRfmScore: [0, 6, 9, 12][i] ?? 12 + i,
    minSpendCents: [0, 100_000, 500_000, 2_000_000][i] ?? 2_000_000 + i,
  }));
  const before = (await api<{ data: Record<string, unknown>[] }>('PUT', '/v1/tiers', { tiers: withHidden })).data;
  const silverName = before[1]!.name as string;

  await open(page, VIEWS[0]!, '/tiers');
  const card = page.getByRole('listitem', { name: silverName, exact: true });
  await card.getByRole('button', { name: `Edit ${silverName}` }).click();
  const form = page.getByRole('form', { name: `Edit ${silverName}` });
  await form.getByLabel('Growth to reach it').fill('600');
  const save = form.getByRole('button', { name: 'Save tier' });
  await expect(save).toBeDisabled();
  await expect(form.getByText('A threshold changed: preview the effect before saving.')).toBeVisible();
  await form.getByRole('button', { name: 'Preview the effect' }).click();
  const preview = form.getByRole('region', { name: 'Effect on your members' });
  await expect(preview).toContainText(/\d+ would move up, 0 would move down\./);
  await expect(preview.getByRole('listitem').filter({ hasText: 'E2E-LADDER' })).toContainText(`${before[0]!.name as string} → ${silverName}`);
  await expect(preview.getByRole('listitem', { name: new RegExp(`^${silverName}: `) })).toBeVisible();
  await shot(page, info, 'ladder-preview');
  await expect(save).toBeEnabled();
  await save.click();
  await expect(page.getByTestId('toast')).toContainText(`${silverName} saved`);
  await expect(card).toContainText('600 growth');

  const after = (await api<{ data: Record<string, unknown>[] }>('GET', '/v1/tiers')).data;
  expect(after).toEqual(before.map((t, i) => (i === 1 ? { ...t, minGrowth: 600 } : t)));
  const member = await api<{ tier: { code: string } | string; tierCode?: string }>('GET', '/v1/members/E2E-LADDER');
  expect(JSON.stringify(member)).toContain(before[1]!.code as string);

  // Benefits merge key by key: a perk added on screen, the rest (thresholds of other models) kept.
  await card.getByRole('button', { name: `Edit ${silverName}` }).click();
  await form.getByLabel('Fast refund').check();
  await form.getByLabel('Birthday points').fill('88');
  await form.getByRole('button', { name: 'Save tier' }).click();
  await expect(page.getByTestId('toast')).toContainText(`${silverName} saved`);
  await expect(card).toContainText('Fast refund');
  await expect(card).toContainText('Birthday gift: 88 points');
  const last = (await api<{ data: Record<string, unknown>[] }>('GET', '/v1/tiers')).data;
  expect(last[1]).toEqual({
    ...after[1],
    benefits: { ...(after[1]!.benefits as object), fastRefund: true, birthdayGift: { points: 88 } },
  });
  // Put the ladder back for the other journeys (thresholds of models not in use left out).
  await api('PUT', '/v1/tiers', {
    tiers: initial.map(({ minRfmScore: _r, minSpendCents: _s, ...t }) => t),
  });
});

for (const lang of ['en', 'zh-CN'] as const) {
  test(`a refused threshold shows the API's error on the field, in ${lang}`, async ({ page }, info) => {
    const tiers = (await api<{ data: { name: string; code: string }[] }>('GET', '/v1/tiers')).data;
    const before = JSON.stringify(tiers);
    const gold = tiers[2]!.name;
    await open(page, { name: lang, width: 1440, height: 900, lang }, '/tiers');
    await page.getByRole('button', { name: L(lang, `Edit ${gold}`, `编辑${gold}`) }).click();
    const form = page.getByRole('form', { name: L(lang, `Edit ${gold}`, `编辑${gold}`) });
    const field = form.getByLabel(L(lang, 'Growth to reach it', '所需成长值'));
    await field.fill('900');
    await form.getByRole('button', { name: L(lang, 'Preview the effect', '预览影响') }).click();
    await expect(form.getByText(L(lang, 'Must be above the tier below.', '必须高于下一级的门槛。'))).toBeVisible();
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(form).not.toContainText('tiers.2');
    await shot(page, info, `ladder-field-error-${lang}`);
    await looksRight(page, `/tiers field error (${lang})`);
    await form.getByRole('button', { name: L(lang, 'Cancel', '取消') }).click();
    // Raising a tier past the one above: the error lands on this tier's threshold too.
    const silver = tiers[1]!.name;
    await page.getByRole('button', { name: L(lang, `Edit ${silver}`, `编辑${silver}`) }).click();
    const silverForm = page.getByRole('form', { name: L(lang, `Edit ${silver}`, `编辑${silver}`) });
    await silverForm.getByLabel(L(lang, 'Growth to reach it', '所需成长值')).fill('6000');
    await silverForm.getByRole('button', { name: L(lang, 'Preview the effect', '预览影响') }).click();
    await expect(silverForm.getByText(L(lang, `Must stay below ${gold}.`, `必须低于${gold}的门槛。`))).toBeVisible();
    expect(JSON.stringify((await api<{ data: unknown[] }>('GET', '/v1/tiers')).data)).toBe(before);
  });
}

test('a coupon is typed and shown in yuan and 折 / % off, never cents or bps', async ({ page }, info) => {
  await open(page, VIEWS[0]!, '/coupons');
  const create = page.getByRole('form', { name: 'Create' });
  await create.getByLabel('Code').fill('UNIT15');
  await create.getByLabel('Name').fill('Spring sale');
  await create.getByLabel('Kind').selectOption('percent');
  await create.getByLabel('Discount').fill('15');
  await create.getByLabel('Minimum spend').fill('99.9');
  await create.getByLabel('Valid days').fill('7');
  await create.getByRole('button', { name: 'Create' }).click();
  const row = page.getByRole('row').filter({ hasText: 'UNIT15' });
  await expect(row).toContainText('15% off');
  await expect(row).toContainText('¥99.90');
  const stored = (await api<{ data: { code: string; percentBps: number; minSpendCents: number }[] }>('GET', '/v1/coupon-templates?limit=200')).data.find(
    (c) => c.code === 'UNIT15',
  );
  expect(stored).toMatchObject({ percentBps: 1500, minSpendCents: 9990 });
  // A value that is not an amount is refused on its field before anything is sent.
  await row.getByRole('button', { name: 'Edit UNIT15' }).click();
  const edit = page.getByRole('form', { name: 'Edit UNIT15' });
  await edit.getByLabel('Minimum spend').fill('12.345');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit.getByText('Too many decimal places.')).toBeVisible();
  await shot(page, info, 'coupons-units');

  await page.context().addCookies([{ name: 'up.lang', value: 'zh-CN', url: process.env.E2E_BASE_URL! }]);
  await page.goto(at('/coupons'));
  await expect(page.getByRole('row').filter({ hasText: 'UNIT15' })).toContainText('85折');
  await shot(page, info, 'coupons-units-zh');
  await looksRight(page, '/coupons (zh-CN)');
});
