// The store settlement page: points issued at the online mall and spent at the flagship store
// show in the per-store table and the store × store matrix (¥ and points), the CSV downloads
// with its header row, the month picker keeps the month in the URL, and the page reads right in
// English and Chinese at 1440 and 390 px (the matrix scrolls inside its card, never the page).
import { readFile } from 'node:fs/promises';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { at, login, seed, state } from './fixtures';
import { formatMoney } from '../src/lib/units';

interface Settlement {
  month: string;
  stores: { storeId: string | null; code: string | null; payableCents: number; receivableCents: number; redeemedPoints: number }[];
  matrix: { issuedBy: string | null; redeemedAt: string | null; points: number; valueCents: number }[];
}

async function settlementNow(): Promise<Settlement> {
  const r = await fetch(`${state().url}/v1/analytics/settlement`, { headers: { Authorization: `Bearer ${state().tenantKey}` } });
  if (!r.ok) throw new Error(`settlement: ${r.status}`);
  return (await r.json()) as Settlement;
}

async function shot(page: Page, info: TestInfo, name: string) {
  const path = info.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await info.attach(name, { path, contentType: 'image/png' });
}

test.beforeAll(async () => {
  // 500 points credited at the mall, 300 of them spent at the flagship store.
  await seed('POST', '/v1/members', { unionId: 'U-SETTLE' });
  await seed('POST', '/v1/members/U-SETTLE/points/adjust', { delta: 500, reason: 'opening balance', storeId: 'code:mall', reference: 'settle-e2e-1' });
  await seed('POST', '/v1/members/U-SETTLE/points/redeem', { points: 300, reference: 'settle-e2e-r1', storeId: 'code:shop1' });
});

test('the owner reads the month’s settlement, downloads the CSV and picks another month', async ({ page }, info) => {
  const s = await settlementNow();
  const mall = s.stores.find((r) => r.code === 'mall')!;
  const shop = s.stores.find((r) => r.code === 'shop1')!;
  const cell = s.matrix.find((c) => c.issuedBy === mall.storeId && c.redeemedAt === shop.storeId)!;
  expect(cell.points).toBeGreaterThanOrEqual(300);

  await page.setViewportSize({ width: 1440, height: 900 });
  await login(page, state().owner);
  await page.getByRole('link', { name: 'Settlement' }).first().click();
  await expect(page).toHaveURL(/\/settlement$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Store settlement');
  // What the mall's points were worth at the flagship store, in ¥ and in points.
  const matrixCell = page.getByTestId('cell-mall-shop1');
  await expect(matrixCell).toContainText(formatMoney(cell.valueCents, 'CNY', 'en'));
  await expect(matrixCell).toContainText(`${cell.points.toLocaleString('en')} pts`);
  await expect(page.getByTestId('settlement-store-mall')).toContainText(formatMoney(mall.payableCents, 'CNY', 'en'));
  await expect(page.getByTestId('settlement-store-shop1')).toContainText(formatMoney(shop.receivableCents, 'CNY', 'en'));

  // The CSV: a header row, then the mall → flagship line with its points and value.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
  expect(download.suggestedFilename()).toBe(`settlement-${s.month}.csv`);
  const csv = (await readFile((await download.path())!, 'utf8')).split('\r\n');
  expect(csv[0]).toBe('month,issued_by,issued_by_code,redeemed_at,redeemed_at_code,points,value_cents,currency');
  expect(csv).toContain(`${s.month},${mall.storeId},mall,${shop.storeId},shop1,${cell.points},${cell.valueCents},CNY`);
  await shot(page, info, 'settlement-en-desktop');

  // Another month: kept in the URL, nothing spent then.
  await page.getByLabel('Year').selectOption('2020');
  await page.getByLabel('Month').selectOption('01');
  await expect(page).toHaveURL(/month=2020-01/);
  await expect(page.getByTestId('empty-state')).toContainText('No points were spent this month');
  await page.reload();
  await expect(page.getByLabel('Year')).toHaveValue('2020');
  await expect(page.getByLabel('Month')).toHaveValue('01');
  await expect(page.getByTestId('empty-state')).toBeVisible();
});

for (const lang of ['en', 'zh-CN'] as const)
  for (const size of [
    { name: 'desktop', width: 1440, height: 900 },
    { name: 'phone', width: 390, height: 844 },
  ])
    test(`the settlement page reads right: ${lang} at ${size.width} px`, async ({ page }, info) => {
      await page.setViewportSize({ width: size.width, height: size.height });
      await login(page, state().owner);
      await page.context().addCookies([{ name: 'up.lang', value: lang, url: process.env.E2E_BASE_URL! }]);
      await page.goto(at('/settlement'));
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(lang === 'en' ? 'Store settlement' : '门店积分结算');
      await expect(page.getByTestId('skeleton')).toHaveCount(0);
      await expect(page.getByTestId('settlement-matrix')).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, 'the page scrolls sideways').toBe(0);
      const text = await page.locator('main').innerText();
      expect(text).not.toMatch(/\bsettlement\.[a-z][A-Za-z.]+\b/);
      if (lang === 'zh-CN') {
        for (const english of ['Per store', 'Store × store', 'Download CSV', 'Points issued', 'No store']) expect(text).not.toContain(english);
        await expect(page.getByRole('link', { name: '下载 CSV' })).toBeVisible();
      }
      await shot(page, info, `settlement-${lang}-${size.name}`);
    });
