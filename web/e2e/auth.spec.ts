import { expect, test } from '@playwright/test';
import { at, login, snap, state } from './fixtures';

test('a wrong password stays on the login page with an error', async ({ page }) => {
  await page.goto(at('/login'));
  await snap(page, 'login');
  await page.getByLabel('Email').fill(state().owner.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Invalid email or password' })).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
});

test('pages need a login', async ({ page }) => {
  await page.goto(at('/members'));
  await expect(page).toHaveURL(/\/login$/);
  await page.goto(at('/platform'));
  await expect(page).toHaveURL(/\/login$/);
});

test('staff cannot open platform pages, and the API refuses them too', async ({ page }) => {
  await login(page, state().staff);
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  for (const path of ['/platform', '/platform/onboard']) {
    await page.goto(at(path));
    await expect(page).toHaveURL(at('/'));
    await expect(page.getByRole('link', { name: 'Onboard a tenant' })).toHaveCount(0);
  }
  const r = await page.request.get(at('/v1/platform/tenants'));
  expect(r.status()).toBe(403);
});

test('the platform admin is kept out of merchant pages', async ({ page }) => {
  await login(page, state().admin);
  await expect(page).toHaveURL(at('/platform'));
  await page.goto(at('/members'));
  await expect(page).toHaveURL(at('/platform'));
});

test('logout ends the session', async ({ page }) => {
  await login(page, state().owner);
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto(at('/'));
  await expect(page).toHaveURL(/\/login$/);
  expect((await page.request.get(at('/v1/auth/me'))).status()).toBe(401);
});

test('the language switch is remembered and translates the app', async ({ page }) => {
  await login(page, state().owner);
  await page.getByLabel('Language').selectOption('zh-CN');
  await expect(page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '会员', exact: true })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: '概览' })).toBeVisible();
  await snap(page, 'overview-zh');
  await page.getByLabel('语言').selectOption('en');
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
});
