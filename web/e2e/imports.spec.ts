import { expect, test } from '@playwright/test';
import { at, login, snap, state } from './fixtures';

const ndjson = (rows: unknown[]) => Buffer.from(rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n');

test('the owner imports members, then orders with a bad line, and follows the progress', async ({ page }) => {
  await login(page, state().owner);
  await page.goto(at('/imports'));
  await expect(page.getByRole('heading', { level: 1, name: 'Import history' })).toBeVisible();
  // The format of each kind, with an example line.
  await expect(page.getByText('"externalId":"SO-2024-000187"')).toBeVisible();

  await page.getByLabel('What the file holds').selectOption('members');
  await page.getByLabel(/File \(\.ndjson/).setInputFiles({
    name: 'members.ndjson',
    mimeType: 'application/x-ndjson',
    buffer: ndjson([
      { unionId: 'IMP-1', joinedAt: '2024-02-01T08:00:00+08:00', openIds: [{ storeCode: 'shop1', openId: 'imp-open-1' }] },
      { unionId: 'IMP-2', joinedAt: '2024-03-01T08:00:00+08:00', profile: { name: 'Zhao Lei' } },
      { unionId: 'IMP-3', joinedAt: '2024-04-01T08:00:00+08:00' },
    ]),
  });
  await page.getByRole('button', { name: 'Upload and import' }).click();
  const progress = page.getByTestId('import-progress');
  await expect(progress.getByRole('progressbar', { name: 'Completed' })).toBeVisible();
  await expect(progress.getByTestId('progress-count')).toHaveText('3 / 3');
  await expect(progress.getByText('No line was refused.')).toBeVisible();

  await page.getByLabel('What the file holds').selectOption('orders');
  await page.getByLabel(/File \(\.ndjson/).setInputFiles({
    name: 'orders.ndjson',
    mimeType: 'application/x-ndjson',
    buffer: ndjson([
      { externalId: 'IMP-O-1', member: 'IMP-1', storeCode: 'mall', amountCents: 120_000, completedAt: '2024-05-02T11:00:00+08:00' },
      '{"externalId": "broken"',
      {
        externalId: 'IMP-O-2',
        member: 'openid:imp-open-1',
        storeCode: 'shop1',
        amountCents: 30_000,
        completedAt: '2024-06-02T11:00:00+08:00',
        refunds: [{ refundId: 'IMP-R-1', amountCents: 10_000, at: '2024-06-05T10:00:00+08:00' }],
      },
      { externalId: 'IMP-O-3', member: 'IMP-2', storeCode: 'mall', amountCents: 5_000, completedAt: '2024-07-02T11:00:00+08:00' },
    ]),
  });
  await page.getByRole('button', { name: 'Upload and import' }).click();
  await expect(progress.getByRole('progressbar', { name: 'Completed' })).toBeVisible();
  await expect(progress.getByTestId('progress-count')).toHaveText('4 / 4');
  const errors = progress.getByRole('table', { name: 'Skipped lines' });
  await expect(errors.getByRole('row')).toHaveCount(2);
  await expect(errors.getByRole('cell', { name: '2', exact: true })).toBeVisible();
  await snap(page, 'imports-en-desktop');

  // The import's result is the member's history: 1,200 growth lifts IMP-1 to Silver at the order's time.
  await page.goto(at('/members/IMP-1'));
  await expect(page.getByText('Silver').first()).toBeVisible();

  // The list of imports, in Chinese on a phone, without sideways scrolling.
  await page.context().addCookies([{ name: 'up.lang', value: 'zh-CN', url: at('/') }]);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(at('/imports'));
  await expect(page.getByRole('heading', { level: 1, name: '导入历史数据' })).toBeVisible();
  await expect(page.getByTestId('card-list').getByText('订单与退款')).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBe(0);
  await snap(page, 'imports-zh-phone');
});
