import { expect, test, type Page } from '@playwright/test';
import { at, login, seed, snap, state } from './fixtures';

/** Opens an action of the member page's "Actions" menu; its form is in a dialog. */
async function act(page: Page, name: string) {
  await page.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name }).click();
  return page.getByRole('form', { name });
}

test.beforeEach(async ({ page }) => {
  await login(page, state().owner);
});

test('the owner changes a member’s tier by hand, with a reason', async ({ page }) => {
  await seed('POST', '/v1/members', { unionId: 'E2E-TIER' });
  await page.goto(at('/members/E2E-TIER'));
  let form = await act(page, 'Change tier');
  // The top of the ladder, whatever the other journeys renamed.
  const topName = (await form.getByLabel('New tier').locator('option').last().textContent())!;
  await form.getByLabel('New tier').selectOption({ label: topName });
  await form.getByLabel('Reason').fill('VIP by hand');
  await form.getByRole('button', { name: 'Change tier' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: `Tier changed to ${topName}.` })).toBeVisible();
  await expect(form).toBeHidden();
  const tierCard = page.getByRole('region', { name: 'Tier', exact: true });
  await expect(tierCard.getByText(topName, { exact: true })).toBeVisible();
  await page.getByRole('tab', { name: 'Tier history' }).click();
  // Newest first, the reason in words.
  const history = page.getByRole('region', { name: 'Tier history' }).getByRole('row');
  await expect(history.nth(1)).toContainText('Manual: VIP by hand');
  await expect(history.nth(1)).toContainText(topName);
  await expect(history.nth(2)).toContainText('Joined');
  await snap(page, 'member-tier-changed');

  // The dialog defaults to the current tier; a missing reason is refused before anything is sent.
  form = await act(page, 'Change tier');
  await expect(form.getByLabel('New tier')).toHaveValue((await form.getByLabel('New tier').locator('option').last().getAttribute('value'))!);
  await form.getByRole('button', { name: 'Change tier' }).click();
  await expect(form.getByLabel('Reason')).toHaveJSProperty('validity.valueMissing', true);
});

test('the owner starts a tier trial; a second one is refused', async ({ page }) => {
  await seed('POST', '/v1/members', { unionId: 'E2E-TRIAL' });
  await page.goto(at('/members/E2E-TRIAL'));
  let form = await act(page, 'Start a tier trial');
  // Diamond: the ladder and search journeys count silver and gold members.
  await form.getByLabel('Trial tier').selectOption('diamond');
  await form.getByLabel('Trial days').fill('3');
  await form.getByRole('button', { name: 'Start a tier trial' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: /Trial of .+ until .+\./ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Tier', exact: true })).toContainText('Trial until');
  form = await act(page, 'Start a tier trial');
  await form.getByRole('button', { name: 'Start a tier trial' }).click();
  await expect(form.getByRole('alert')).toBeVisible();
});

test('the owner grants a coupon and sees it on the member', async ({ page }) => {
  await seed('POST', '/v1/coupon-templates', {
    code: 'WELCOME10',
    name: 'Welcome 10 off',
    kind: 'amount',
    amountCents: 1000,
    validDays: 30,
    stock: 1,
  });
  await seed('POST', '/v1/members', { unionId: 'E2E-GIFT' });
  await page.goto(at('/members/E2E-GIFT'));
  await page.getByRole('tab', { name: 'Coupons' }).click();
  const coupons = page.getByRole('region', { name: 'Coupons' });
  await expect(coupons.getByText('This member has no coupons yet.')).toBeVisible();
  let form = await act(page, 'Grant a coupon');
  await form.getByLabel('Coupon template').selectOption({ label: 'Welcome 10 off (WELCOME10)' });
  await form.getByRole('button', { name: 'Grant' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Coupon “Welcome 10 off” granted' })).toBeVisible();
  await expect(coupons.getByRole('row').filter({ hasText: 'Welcome 10 off' })).toContainText('Available');
  await snap(page, 'member-coupon-granted');

  // The stock was 1: a second grant is refused with the API's reason, and nothing is added.
  form = await act(page, 'Grant a coupon');
  await form.getByLabel('Coupon template').selectOption({ label: 'Welcome 10 off (WELCOME10)' });
  await form.getByRole('button', { name: 'Grant' }).click();
  await expect(form.getByRole('alert')).toContainText('Out of stock.');
  await expect(coupons.getByRole('row').filter({ hasText: 'Welcome 10 off' })).toHaveCount(1);
});

test('the owner merges a duplicate member into another after confirming', async ({ page }) => {
  await seed('POST', '/v1/members', { unionId: 'E2E-KEEP', profile: { name: 'Zhao Lei' } });
  await seed('POST', '/v1/members', { unionId: 'E2E-DUP', openId: 'wx-dup-1', storeId: await mallId() });
  await seed('POST', '/v1/members/E2E-DUP/points/adjust', { delta: 75, reason: 'seed' });
  await page.goto(at('/members/E2E-KEEP'));
  await expect(page.getByTestId('points-balance')).toHaveText('0');
  let form = await act(page, 'Merge another member into this one');
  await form.getByLabel('unionId to merge in').fill('E2E-DUP');
  await form.getByRole('button', { name: 'Merge' }).click();
  const dialog = page.getByRole('dialog', { name: 'Merge E2E-DUP into E2E-KEEP?' });
  await expect(dialog).toContainText('This cannot be undone.');
  await snap(page, 'member-merge-confirm');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('points-balance')).toHaveText('0');

  form = await act(page, 'Merge another member into this one');
  await form.getByLabel('unionId to merge in').fill('E2E-DUP');
  await form.getByRole('button', { name: 'Merge' }).click();
  await dialog.getByRole('button', { name: 'Merge' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('toast').filter({ hasText: 'E2E-DUP merged into this member.' })).toBeVisible();
  await expect(page.getByTestId('points-balance')).toHaveText('75');
  await page.getByRole('tab', { name: 'Identities across stores' }).click();
  await expect(page.getByRole('cell', { name: 'wx-dup-1' })).toBeVisible();
  await snap(page, 'member-merged');

  // The merged unionId now opens the survivor.
  await page.goto(at('/members/E2E-DUP'));
  await expect(page.getByRole('heading', { name: 'Member E2E-KEEP' })).toBeVisible();
});

async function mallId(): Promise<string> {
  const r = await fetch(`${state().url}/v1/stores`, { headers: { Authorization: `Bearer ${state().tenantKey}` } });
  const body = (await r.json()) as { data: { id: string; code: string }[] };
  return body.data.find((s) => s.code === 'mall')!.id;
}

test('a search with more than a page of members loads the rest with “Load more”', async ({ page }) => {
  for (let i = 0; i < 55; i++)
    await seed('POST', '/v1/members', { unionId: `E2E-PAGE-${String(i).padStart(2, '0')}`, profile: { name: `Pager ${i}` } });
  await page.goto(at('/members'));
  await page.getByRole('searchbox', { name: 'Search' }).fill('Pager');
  await page.getByRole('button', { name: 'Search' }).click();
  const rows = page.getByRole('row').filter({ hasText: 'E2E-PAGE-' });
  await expect(rows).toHaveCount(50);
  await page.getByRole('button', { name: 'Load more' }).click();
  await expect(rows).toHaveCount(55);
  await expect(page.getByRole('button', { name: 'Load more' })).toHaveCount(0);
  // Every member once, none twice.
  const ids = await rows.locator('a').allTextContents();
  expect(new Set(ids).size).toBe(55);
  await snap(page, 'members-paged');
});

test('the ledger shows when things happened (event time), not when they were recorded', async ({ page }) => {
  await seed('POST', '/v1/members', { unionId: 'E2E-PAST' });
  // An order reported late: completed on 15 January 2026 at noon in Shanghai.
  await seed('POST', '/v1/orders', {
    externalId: 'E2E-PAST-1',
    member: 'E2E-PAST',
    storeId: await mallId(),
    amountCents: 12_300,
    completedAt: '2026-01-15T04:00:00Z',
  });
  await page.goto(at('/members/E2E-PAST'));
  const timeline = page.getByTestId('timeline').getByRole('listitem');
  // Points and growth of the order, each at the order's time, the kind in words.
  await expect(timeline.filter({ hasText: 'Order +123 Points' })).toContainText('Jan 15, 2026');
  await expect(timeline.filter({ hasText: 'Order +123 Growth' })).toContainText('Jan 15, 2026');
});
