import { expect, test } from '@playwright/test';
import { at, login, snap, state } from './fixtures';

test('the platform onboards a tenant, then suspends and reactivates it', async ({ page, context, browser }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await login(page, state().admin);
  await expect(page.getByRole('heading', { name: 'Tenants' })).toBeVisible();
  const acme = page.getByTestId('tenant-acme');
  await expect(acme).toContainText('Acme Mall');
  // Three seeded members, plus those other journeys enrolled: the column shows the API's count.
  const tenants = (await (await page.request.get(at('/v1/platform/tenants?limit=200'))).json()) as {
    data: { slug: string; memberCount: number }[];
  };
  const count = tenants.data.find((x) => x.slug === 'acme')!.memberCount;
  expect(count).toBeGreaterThanOrEqual(3);
  await expect(acme.getByRole('cell').nth(2)).toHaveText(String(count));
  await snap(page, 'platform-tenants');

  await page.getByRole('link', { name: 'Onboard a tenant' }).first().click();
  await page.getByLabel('Tenant name').fill('Beta Foods');
  await page.getByLabel('Slug (lowercase letters, digits, -)').fill('beta-foods');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Store code').fill('bj01');
  await page.getByLabel('Store name').fill('Beijing store');
  await page.getByLabel('Channel').selectOption('store');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Owner email').fill('owner@beta.test');
  await page.getByLabel('Owner password (8+ characters)').fill('beta owner password');
  await snap(page, 'platform-onboard');
  await page.getByRole('button', { name: 'Create tenant' }).click();

  await expect(page.getByRole('heading', { name: 'Tenant Beta Foods is ready' })).toBeVisible();
  const key = await page.getByTestId('secret').textContent();
  expect(key).toMatch(/^up_/);
  await page.getByRole('button', { name: 'Copy' }).click();
  await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
  await snap(page, 'platform-onboarded');

  // The new key works against the API.
  const me = await page.request.get(`${state().url}/v1/stores`, { headers: { Authorization: `Bearer ${key}` } });
  expect(me.status()).toBe(200);
  expect((await me.json()).data.map((s: { code: string }) => s.code)).toEqual(['bj01']);

  await page.getByRole('link', { name: 'Tenants' }).first().click();
  const beta = page.getByTestId('tenant-beta-foods');
  await beta.getByRole('button', { name: 'Suspend Beta Foods' }).click();
  // A confirmation names the tenant and what suspending does; cancelling changes nothing.
  const confirm = page.getByRole('dialog', { name: 'Suspend Beta Foods?' });
  await expect(confirm).toContainText('API keys and logins stop working');
  await snap(page, 'platform-suspend-confirm');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(beta).toContainText('Active');
  await beta.getByRole('button', { name: 'Suspend Beta Foods' }).click();
  await confirm.getByRole('button', { name: 'Suspend' }).click();
  await expect(beta).toContainText('Suspended');
  await expect(page.getByTestId('toast').filter({ hasText: 'Beta Foods suspended' })).toBeVisible();
  const refused = await page.request.get(`${state().url}/v1/stores`, { headers: { Authorization: `Bearer ${key}` } });
  expect(refused.status()).toBe(403);
  // Its owner cannot log in meanwhile, and is told why.
  const elsewhere = await browser.newContext();
  const ownerPage = await elsewhere.newPage();
  await ownerPage.goto(at('/login'));
  await ownerPage.getByLabel('Email').fill('owner@beta.test');
  await ownerPage.getByLabel('Password').fill('beta owner password');
  await ownerPage.getByRole('button', { name: 'Log in' }).click();
  await expect(ownerPage.getByRole('alert').filter({ hasText: 'This merchant account is suspended' })).toBeVisible();
  await expect(ownerPage).toHaveURL(/\/login$/);
  expect((await ownerPage.request.get(at('/v1/auth/me'))).status()).toBe(401);
  await elsewhere.close();
  await beta.getByRole('button', { name: 'Reactivate Beta Foods' }).click();
  await expect(beta).toContainText('Active');
  expect((await page.request.get(`${state().url}/v1/stores`, { headers: { Authorization: `Bearer ${key}` } })).status()).toBe(200);

  // The new owner can log in to the merchant app.
  await page.getByRole('button', { name: 'Log out' }).click();
  await login(page, { email: 'owner@beta.test', password: 'beta owner password' });
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(page.getByText('Welcome! Your program has no members yet.')).toBeVisible();
});

test('the onboarding form refuses a slug like "Tea House!" without console errors, and so does the API', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await login(page, state().admin);
  await page.goto(at('/platform/onboard'));
  await page.getByLabel('Tenant name').fill('Tea House');
  const slug = page.getByLabel('Slug (lowercase letters, digits, -)');
  await slug.fill('Tea House!');
  await page.getByRole('button', { name: 'Next' }).click();
  // Still on step 1: the browser's own validation stopped the form.
  await expect(page.getByText('Step 1 of 3')).toBeVisible();
  expect(await slug.evaluate((el: HTMLInputElement) => el.validity.patternMismatch)).toBe(true);
  await slug.fill('tea-house-2');
  expect(await slug.evaluate((el: HTMLInputElement) => el.validity.valid)).toBe(true);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('Step 2 of 3')).toBeVisible();
  expect(problems).toEqual([]);

  // The API refuses the same slug on its own.
  const me = (await (await page.request.get(at('/v1/auth/me'))).json()) as { csrfToken: string };
  const r = await page.request.post(at('/v1/platform/tenants'), {
    headers: { 'X-CSRF-Token': me.csrfToken },
    data: { name: 'Tea House', slug: 'Tea House!', owner: { email: 'owner@tea.test', password: 'tea house password' } },
  });
  expect(r.status()).toBe(400);
  expect(r.headers()['content-type']).toMatch(/application\/problem\+json/);
  expect(((await r.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain('slug');
});
