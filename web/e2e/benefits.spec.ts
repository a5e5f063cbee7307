import { expect, test } from '@playwright/test';
import { at, login, seed, snap, state } from './fixtures';

test.beforeEach(async ({ page }) => {
  await login(page, state().owner);
});

test('the owner builds the benefit catalogue: grants per tier and plan, quotas in words, edit and archive', async ({ page }) => {
  await seed('POST', '/v1/plans', { code: 'PLUS-E2E', name: 'PLUS', priceCents: 1090, period: 'month' });
  await seed('POST', '/v1/coupon-templates', { code: 'FS-E2E', name: 'Free delivery coupon', kind: 'free_shipping', validDays: 31 });
  await page.goto(at('/benefits'));
  const create = page.getByRole('form', { name: 'Add a benefit' });
  await create.getByLabel('Code').fill('ship6');
  await create.getByLabel('Name').fill('Free delivery');
  await create.getByLabel('Category').selectOption('shopping');
  await create.getByLabel('Kind').selectOption('coupon_pack');
  await create.getByLabel('Coupon template').selectOption('FS-E2E');
  await create.getByRole('button', { name: 'Add a grant' }).click();
  const grant = create.getByTestId('grant-0');
  await grant.getByLabel('Tier or plan').selectOption('plan:PLUS-E2E');
  await grant.getByLabel('How many (empty = unlimited)').fill('6');
  await grant.getByLabel('Per').selectOption('month');
  await create.getByRole('button', { name: 'Create' }).click();
  const row = page.getByTestId('benefit-ship6');
  await expect(row).toContainText('Free delivery');
  await expect(row).toContainText('PLUS members: 6 coupons per month');
  await expect(row).toContainText('Coupon pack');

  // A service for Gold and above, unlimited, and two priority deliveries a week for Diamond only.
  await create.getByLabel('Code').fill('care');
  await create.getByLabel('Name').fill('Dedicated support');
  await create.getByLabel('Category').selectOption('service');
  await create.getByLabel('Kind').selectOption('service');
  await create.getByRole('button', { name: 'Add a grant' }).click();
  await create.getByTestId('grant-0').getByLabel('Tier or plan').selectOption('tier:gold');
  await create.getByRole('button', { name: 'Add a grant' }).click();
  const second = create.getByTestId('grant-1');
  await second.getByLabel('Tier or plan').selectOption('tier:diamond');
  await second.getByLabel('This tier only').check();
  await second.getByLabel('How many (empty = unlimited)').fill('2');
  await second.getByLabel('Per').selectOption('week');
  await create.getByRole('button', { name: 'Create' }).click();
  const care = page.getByTestId('benefit-care');
  await expect(care).toContainText('Gold and above: Unlimited');
  await expect(care).toContainText('Diamond only: 2 per week');
  await snap(page, 'benefits-catalogue');

  // Edit: the grant's count changes; refused input shows the API's error.
  await care.getByRole('button', { name: 'Edit care' }).click();
  const edit = page.getByRole('form', { name: 'Edit care' });
  await edit.getByTestId('grant-1').getByLabel('How many (empty = unlimited)').fill('3');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'care saved.' })).toBeVisible();
  await expect(care).toContainText('Diamond only: 3 per week');

  // Archive behind a confirmation.
  await care.getByRole('button', { name: 'Archive care' }).click();
  const dialog = page.getByRole('dialog', { name: 'Archive care?' });
  await dialog.getByRole('button', { name: 'Archive' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'care archived.' })).toBeVisible();
  await expect(care).toHaveCount(0);
  await page.getByLabel('Show archived').check();
  await expect(care).toContainText('Archived');

  // In Chinese, the quota reads 每月6张.
  await page.context().addCookies([{ name: 'up.lang', value: 'zh-CN', url: at('/') }]);
  await page.reload();
  await expect(page.getByTestId('benefit-ship6')).toContainText('每月6张');
  await snap(page, 'benefits-catalogue-zh');
});

test('the member page shows this period’s entitlements and their use', async ({ page }) => {
  await seed('POST', '/v1/members', { unionId: 'E2E-ENT' });
  await seed('POST', '/v1/benefits', { code: 'gift-e2e', name: 'Weekly gift', category: 'shopping', kind: 'gift', grants: [{ tier: 'bronze', count: 2, per: 'week' }] });
  await seed('POST', '/v1/members/E2E-ENT/entitlements/gift-e2e/use', { reference: 'e2e-use-1', valueCents: 1200 });
  await page.goto(at('/members/E2E-ENT'));
  await page.getByRole('tab', { name: 'Entitlements' }).click();
  const ent = page.getByTestId('entitlement-gift-e2e');
  await expect(ent).toContainText('Weekly gift');
  await expect(ent).toContainText('2 per week');
  await expect(ent).toContainText('1');
  await expect(page.getByRole('cell', { name: '¥12.00' })).toBeVisible();
  await snap(page, 'member-entitlements');
});
