import { expect, test } from '@playwright/test';
import { at, login, snap, state } from './fixtures';

test.beforeEach(async ({ page }) => {
  await login(page, state().owner);
});

test('overview shows the analytics of the tenant', async ({ page }) => {
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(page.getByText('Members', { exact: true }).first()).toBeVisible();
  await expect(page.getByRole('img', { name: 'Tier distribution' })).toBeVisible();
  await snap(page, 'overview');
});

test('the owner finds a member by unionId and by openId', async ({ page }) => {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Members' }).click();
  // Newest first; other journeys enrol members in this tenant, so the seed's may be on a later page.
  await expect(page.getByRole('table', { name: 'Members' }).getByRole('link').first()).toBeVisible();
  await snap(page, 'members');
  const search = page.getByLabel('Search by unionId, openId or phone');

  await search.fill('U-1001');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('link', { name: 'U-1003' })).toHaveCount(0);
  await page.getByRole('link', { name: 'U-1001' }).click();
  await expect(page.getByRole('heading', { name: 'Member U-1001' })).toBeVisible();
  await expect(page.getByRole('progressbar')).toBeVisible();
  await page.getByRole('tab', { name: 'Identities across stores' }).click();
  await expect(page.getByRole('cell', { name: 'wx-open-1001' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Acme Online' })).toBeVisible();
  await snap(page, 'member-detail');

  await page.goto(at('/members'));
  await search.fill('pos-2002');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('link', { name: 'U-1001' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'U-1002' })).toBeVisible();

  await search.fill('13800000002');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('link', { name: 'U-1002' })).toBeVisible();

  // The tier filter lists that tier only; other journeys may have made gold members, the seed's are not.
  await search.fill('');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByLabel('Tier').selectOption('gold');
  await expect(page).toHaveURL(/tier=gold/);
  const table = page.getByRole('table', { name: 'Members' });
  await expect(page.getByRole('link', { name: 'U-1001' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'U-1002' })).toHaveCount(0);
  for (const row of await table.locator('tbody tr').all()) await expect(row).toContainText('Gold');

  // A search that matches nobody says so.
  await page.getByLabel('Tier').selectOption('');
  await search.fill('no-such-member-anywhere');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByText('No members match.')).toBeVisible();
});

test('the owner adjusts a member’s points with a reason', async ({ page }) => {
  await page.goto(at('/members/U-1003'));
  await expect(page.getByTestId('points-balance')).toHaveText('0');
  await page.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: 'Adjust points' }).click();
  const form = page.getByRole('form', { name: 'Adjust points' });
  await form.getByLabel('Points (+ to add, − to remove)').fill('120');
  await form.getByLabel('Reason').fill('Birthday goodwill');
  await form.getByRole('button', { name: 'Adjust points' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: /Points adjusted\. New balance: 120/ })).toBeVisible();
  await expect(form).toBeHidden();
  await expect(page.getByTestId('points-balance')).toHaveText('120');
  // The activity timeline says what happened in words.
  await expect(page.getByTestId('timeline').getByRole('listitem').filter({ hasText: 'Birthday goodwill' })).toContainText('Manual adjustment +120 Points');

  // Taking more than the balance is refused in the dialog and changes nothing.
  await page.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: 'Adjust points' }).click();
  await form.getByLabel('Points (+ to add, − to remove)').fill('-500');
  await form.getByLabel('Reason').fill('Too much');
  await form.getByRole('button', { name: 'Adjust points' }).click();
  await expect(form.getByRole('alert')).toBeVisible();
  await expect(page.getByTestId('points-balance')).toHaveText('120');
  await snap(page, 'member-adjusted');

  await page.goto(at('/audit'));
  await expect(
    page
      .getByRole('row')
      .filter({ hasText: /adjust/ })
      .first(),
  ).toBeVisible();
});

test('the owner creates a store-bound API key, sees it once, and revokes it', async ({ page }) => {
  await page.goto(at('/api-keys'));
  await page.getByLabel('Name').fill('POS terminal');
  await page.getByLabel('Bound to store').selectOption({ label: 'Acme Flagship (shop1)' });
  await page.getByRole('button', { name: 'Create a key' }).click();
  const key = await page.getByTestId('secret').textContent();
  expect(key).toMatch(/^up_/);
  const row = page.getByRole('row').filter({ hasText: 'POS terminal' });
  await expect(row).toContainText('Acme Flagship');
  await expect(row).not.toContainText(key!);
  await snap(page, 'api-keys');
  expect((await page.request.get(`${state().url}/v1/members/U-1001`, { headers: { Authorization: `Bearer ${key}` } })).status()).toBe(200);

  await row.getByRole('button', { name: 'Revoke POS terminal' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke key POS terminal?' });
  await expect(confirm).toContainText('fails at once');
  await confirm.getByRole('button', { name: 'Revoke' }).click();
  await expect(row).toContainText('Revoked');
  await expect(page.getByTestId('toast').filter({ hasText: 'Key POS terminal revoked.' })).toBeVisible();
  expect((await page.request.get(`${state().url}/v1/members/U-1001`, { headers: { Authorization: `Bearer ${key}` } })).status()).toBe(401);

  await page.reload();
  await expect(page.getByTestId('secret')).toHaveCount(0);
});

test('the owner adds a webhook endpoint and sees its secret once', async ({ page }) => {
  await page.goto(at('/webhooks'));
  await page.getByLabel('Endpoint URL').fill('https://hooks.acme.test/unionpoint');
  await page.getByRole('checkbox', { name: 'Points expiring soon' }).uncheck();
  await page.getByRole('button', { name: 'Add an endpoint' }).click();
  const secret = await page.getByTestId('secret').textContent();
  expect(secret?.length).toBeGreaterThan(16);
  const row = page.getByRole('row').filter({ hasText: 'https://hooks.acme.test/unionpoint' });
  // Event types in words, not as their codes.
  await expect(row).toContainText('Tier changed');
  await expect(row).not.toContainText('member.tier_changed');
  await expect(row).not.toContainText('Points expiring soon');
  await expect(row).not.toContainText(secret!);
  await row.getByRole('button', { name: 'Delivery log' }).click();
  const log = page.getByRole('region', { name: 'Delivery log: https://hooks.acme.test/unionpoint' });
  await expect(log).toContainText('No deliveries yet');
  await snap(page, 'webhooks-created');
  // A signed sample of any event, delivered and logged like any other, with its next attempt time.
  await log.getByLabel('Event to send').selectOption('order.completed');
  await log.getByRole('button', { name: 'Send test event' }).click();
  await expect(log.getByRole('status')).toContainText('Test event queued');
  const sent = log.getByRole('row').filter({ hasText: 'Order completed' });
  await expect(sent).toContainText('Test');
  await expect(sent).toContainText('Pending');
  await expect(log.getByRole('columnheader', { name: 'Next attempt' })).toBeVisible();
  await expect(sent.getByRole('cell').nth(5)).not.toHaveText('—');
  const list = await page.request.get(at('/v1/webhooks'));
  expect(JSON.stringify(await list.json())).not.toContain(secret!);

  await page.reload();
  await expect(page.getByTestId('secret')).toHaveCount(0);
});

test('stores, settings and the audit log', async ({ page }) => {
  await page.goto(at('/stores'));
  await page.getByLabel('Code').fill('dl01');
  await page.getByLabel('Name').fill('Delivery hub');
  await page.getByLabel('Channel').selectOption('delivery');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('cell', { name: 'Delivery hub' })).toBeVisible();
  await snap(page, 'stores');

  await page.goto(at('/settings'));
  await page.getByLabel('Warn days before period end').fill('20');
  await page.getByRole('region', { name: 'Unsaved changes' }).getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('toast')).toHaveText('Program settings saved');
  await snap(page, 'settings');

  await page.goto(at('/audit'));
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Program settings changed' }).first()).toBeVisible();
  await snap(page, 'audit');
});

test('every page of the merchant app renders, also at phone width', async ({ page }) => {
  for (const path of ['/tiers', '/benefits', '/points', '/coupons', '/rewards', '/plans', '/retention', '/webhooks']) {
    await page.goto(at(path));
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByText('Loading…')).toHaveCount(0);
    await snap(page, path.slice(1));
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(at('/members'));
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeHidden();
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Stores' }).click();
  await expect(page.getByRole('heading', { name: 'Stores' })).toBeVisible();
  await snap(page, 'stores-phone');
  // No page scrolls sideways on a phone (wide tables scroll inside their card).
  for (const path of ['/members', '/members/U-1001', '/tiers', '/plans', '/coupons', '/rewards', '/stores', '/api-keys', '/webhooks', '/retention']) {
    await page.goto(at(path));
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByText('Loading…')).toHaveCount(0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${path} scrolls sideways at 390 px`).toBe(0);
  }
});
