// The dashboard frame and the pages of the data layer, at desktop (1440) and phone (390) width,
// in English and Chinese: no sideways scroll, no raw API enum value or untranslated label on a
// zh-CN page (the API's enums come from its OpenAPI document, see src/i18n/enums.ts), filters
// that live in the URL, confirmations, and the retention run's progress polled until it ends.
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { at, login, seed, state } from './fixtures';
import { enumValues } from '../src/lib/api-types';
import { ENUM_LABELS } from '../src/i18n/enums';

const PAGES = [
  '/',
  '/members',
  '/members/U-1001',
  '/tiers',
  '/benefits',
  '/points',
  '/coupons',
  '/rewards',
  '/plans',
  '/tasks',
  '/campaigns',
  '/retention',
  '/imports',
  '/audit',
  '/stores',
  '/webhooks',
  '/api-keys',
  '/settings',
  '/users',
];
const WIDTHS = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/** A full-page screenshot kept with the test's results. */
async function shot(page: Page, info: TestInfo, name: string) {
  const path = info.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await info.attach(name, { path, contentType: 'image/png' });
}

async function useLanguage(page: Page, lang: 'en' | 'zh-CN') {
  await page.context().addCookies([{ name: 'up.lang', value: lang, url: process.env.E2E_BASE_URL! }]);
}

/** Raw API values that must never be on a Chinese page, and English labels that must not either. */
const RAW_CODES = Object.values(enumValues)
  .flat()
  .filter((v) => /[_.]/.test(v));
const ENGLISH_LABELS = Object.values(ENUM_LABELS.en)
  .flatMap((d) => Object.values(d as Record<string, string>))
  .filter((l) => l.split(' ').length >= 2);

async function expectReadable(page: Page, path: string, lang: 'en' | 'zh-CN') {
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByTestId('skeleton')).toHaveCount(0);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${path} scrolls sideways`).toBe(0);
  const text = await page.locator('main').innerText();
  // No message key left untranslated (the translator falls back to the key).
  expect(text, `${path} shows a message key`).not.toMatch(/\b(dash|common|member|members|overview|retention|keys|webhooks|stores|audit|platform|tasks|campaigns|catalog|catalogue|tiers|settings|users|pickers|date|units|benefits|points|coupons|rewards|plans)\.[a-z][A-Za-z.]+\b/);
  if (lang === 'zh-CN') {
    for (const code of RAW_CODES) expect(text, `${path} shows the raw value ${code}`).not.toContain(code);
    for (const label of ENGLISH_LABELS) expect(text, `${path} shows English "${label}"`).not.toContain(label);
  }
}

for (const lang of ['en', 'zh-CN'] as const)
  for (const size of WIDTHS)
    test(`every page of mine reads right: ${lang} at ${size.width} px`, async ({ page }, info) => {
      test.setTimeout(240_000);
      await page.setViewportSize({ width: size.width, height: size.height });
      await login(page, state().owner);
      await useLanguage(page, lang);
      for (const path of PAGES) {
        await page.goto(at(path));
        await expectReadable(page, path, lang);
        await shot(page, info, `${lang}-${size.name}${path === '/' ? '-overview' : path.replaceAll('/', '-')}`);
      }
      // The header names the tenant and the user's role.
      await expect(page.getByTestId('tenant-name')).toContainText('Acme Mall');
      if (size.width >= 640) await expect(page.getByTestId('user-role')).toHaveText(lang === 'en' ? 'Owner' : '所有者');
    });

for (const lang of ['en', 'zh-CN'] as const)
  test(`the platform console reads right: ${lang} at 1440 and 390 px`, async ({ page }, info) => {
    await login(page, state().admin);
    await useLanguage(page, lang);
    for (const size of WIDTHS) {
      await page.setViewportSize({ width: size.width, height: size.height });
      for (const path of ['/platform', '/platform/onboard']) {
        await page.goto(at(path));
        await expectReadable(page, path, lang);
        await shot(page, info, `${lang}-${size.name}${path.replaceAll('/', '-')}`);
      }
    }
  });

test('the member list keeps its search and tier in the URL: a link reproduces the view', async ({ page }, info) => {
  await login(page, state().owner);
  await page.goto(at('/members'));
  await page.getByLabel('Search by unionId, openId or phone').fill('U-1001');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/[?&]q=U-1001/);
  await page.getByLabel('Tier').selectOption('bronze');
  await expect(page).toHaveURL(/tier=bronze/);
  const url = page.url();
  const rows = page.getByRole('table', { name: 'Members' }).getByRole('link');
  await expect(rows.first()).toBeVisible();
  const seen = await rows.allTextContents();
  expect(seen).toEqual(['U-1001']);

  // The same link in a fresh page shows the same filters and rows.
  const other = await page.context().newPage();
  await other.goto(url);
  await expect(other.getByLabel('Search by unionId, openId or phone')).toHaveValue('U-1001');
  await expect(other.getByLabel('Tier')).toHaveValue('bronze');
  await expect(other.getByRole('table', { name: 'Members' }).getByRole('link').first()).toBeVisible();
  expect(await other.getByRole('table', { name: 'Members' }).getByRole('link').allTextContents()).toEqual(seen);
  await other.close();

  // A filter that matches nobody says so and offers to clear it.
  await page.goto(at('/members?q=nobody-like-this'));
  await expect(page.getByTestId('empty-state')).toContainText('No members match.');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/\/members$/);
  await shot(page, info, 'members-cleared');

  // On a phone the list is stacked cards, not a table.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(url);
  await expect(page.getByTestId('card-list')).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(0);
});

test('the overview follows the date range in the URL and draws the trends', async ({ page }, info) => {
  await login(page, state().owner);
  await page.goto(at('/?from=2026-01-01&to=2026-01-31'));
  await expect(page.getByTestId('overview-range')).toHaveText('Jan 1, 2026 – Jan 31, 2026');
  await expect(page.getByRole('img', { name: 'Points issued vs redeemed' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Members over time' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Points liability over time' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Per tier' })).toContainText('Repeat purchase');
  await page.getByRole('button', { name: 'Last 7 days' }).click();
  await expect(page).toHaveURL(/from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}/);
  await expect(page.getByRole('button', { name: 'Last 7 days' })).toHaveAttribute('aria-pressed', 'true');
  await shot(page, info, 'overview-range');
});

test('a retention run asks first, then shows its progress until it ends', async ({ page }, info) => {
  await login(page, state().owner);
  await page.goto(at('/retention'));
  // The current period is not over: it can be previewed but not run.
  await page.getByRole('button', { name: 'Preview the next run' }).click();
  const preview = page.getByTestId('retention-preview');
  await expect(preview).toContainText('members evaluated');
  await expect(preview.getByRole('note')).toContainText('it can be run once it is over');
  await expect(page.getByRole('button', { name: 'Run retention for this period' })).toBeDisabled();

  // A past period: previewed per tier, then run after a confirmation that names it. The
  // journeys' members all joined this year, so the preview of that period is played back with
  // three members evaluated, two of them dropping from silver; the worker is not part of these
  // journeys either, so the run's polls are answered with growing counts, then "completed".
  const total = 3;
  await page.route('**/v1/retention/preview', async (route) => {
    const body = route.request().postDataJSON() as { periodEnd?: string };
    if (body.periodEnd !== '2025-12-31') return route.continue();
    await route.fulfill({
      json: {
        periodStart: '2025-10-01',
        periodEnd: '2025-12-31',
        evaluated: total,
        atRisk: 2,
        protected: 0,
        wouldDowngrade: [{ code: 'silver', count: 2 }],
        sample: [{ memberId: 'm1', unionId: 'U-1002', from: 'silver', to: 'bronze', spendCents: 1000, growthEarned: 10, shortfall: { spendCents: 9000 } }],
      },
    });
  });
  let polls = 0;
  await page.route(/\/v1\/retention\/runs\/[^/?]+$/, async (route) => {
    const real = await route.fetch();
    const run = (await real.json()) as Record<string, unknown>;
    polls += 1;
    const evaluated = Math.min(total, polls - 1);
    const done = evaluated >= total;
    await route.fulfill({
      response: real,
      json: { ...run, evaluated, status: done ? 'completed' : 'running', finishedAt: done ? new Date().toISOString() : null },
    });
  });
  await page.getByLabel(/Period end/).fill('2025-12-31');
  await page.getByRole('button', { name: 'Preview the next run' }).click();
  await expect(preview).toContainText('Dec 31, 2025');
  await expect(preview.getByRole('list', { name: 'Members who would drop, per tier' })).toContainText('2 would drop');
  await expect(preview.getByRole('link', { name: 'U-1002' })).toBeVisible();
  await expect(preview).toContainText('¥90.00 short');

  await page.getByRole('button', { name: 'Run retention for this period' }).click();
  const confirm = page.getByRole('dialog', { name: /Run retention for .*Dec 31, 2025\?/ });
  await expect(confirm).toContainText('This cannot be undone.');
  await shot(page, info, 'retention-confirm');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  expect(polls).toBe(0);

  await page.getByRole('button', { name: 'Run retention for this period' }).click();
  await confirm.getByRole('button', { name: 'Run retention for this period' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Retention run started.' })).toBeVisible();
  const progress = page.getByTestId('run-progress').first();
  await expect(progress.getByRole('progressbar')).toBeVisible();
  await expect(progress.getByTestId('progress-count')).toHaveText(`1 / ${total}`, { timeout: 10_000 });
  await expect(progress.getByTestId('progress-count')).toHaveText(`${total} / ${total}`, { timeout: 20_000 });
  await expect(progress).toContainText('Completed');
  await shot(page, info, 'retention-progress');
  // Polling stops once the run has ended.
  const after = polls;
  await page.waitForTimeout(2500);
  expect(polls).toBe(after);
});

test('zh-CN: the member timeline reads in words (下单 +N 积分) and tier history gives reasons in words', async ({ page }, info) => {
  await seed('POST', '/v1/members', { unionId: 'E2E-ZH' });
  const stores = (await (await fetch(`${state().url}/v1/stores`, { headers: { Authorization: `Bearer ${state().tenantKey}` } })).json()) as {
    data: { id: string; code: string }[];
  };
  await seed('POST', '/v1/orders', {
    externalId: 'E2E-ZH-1',
    member: 'E2E-ZH',
    storeId: stores.data.find((s) => s.code === 'mall')!.id,
    amountCents: 23_700,
    completedAt: '2026-01-15T04:00:00Z',
  });
  await login(page, state().owner);
  await useLanguage(page, 'zh-CN');
  await page.goto(at('/members/E2E-ZH'));
  const timeline = page.getByTestId('timeline').getByRole('listitem');
  await expect(timeline.filter({ hasText: '下单 +237 积分' })).toBeVisible();
  await expect(timeline.filter({ hasText: '下单 +237 成长值' })).toBeVisible();
  await page.getByRole('tab', { name: '等级变更记录' }).click();
  await expect(page.getByRole('region', { name: '等级变更记录' })).toContainText('入会');
  await expectReadable(page, '/members/E2E-ZH', 'zh-CN');
  await shot(page, info, 'zh-member-timeline');

  // An API error is shown by its code in Chinese.
  await page.getByRole('button', { name: '操作' }).click();
  await page.getByRole('menuitem', { name: '调整积分' }).click();
  const form = page.getByRole('form', { name: '调整积分' });
  await form.getByLabel(/积分/).first().fill('-100000');
  await form.getByLabel('原因').fill('测试');
  await form.getByRole('button', { name: '调整积分' }).click();
  await expect(form.getByRole('alert')).toHaveText('积分不足。');
});
