import { expect, test } from '@playwright/test';
import { at, login, snap, state } from './fixtures';

test('an owner invites a viewer; the viewer sets a password from the link, sees no Users page, and the API refuses a forced write', async ({ page, browser }) => {
  await login(page, state().owner);
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(page.getByTestId('user-role')).toHaveText('Owner');
  await nav.getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  await expect(page.getByTestId(`user-${state().owner.email}`)).toBeVisible();

  const email = `viewer-${Date.now().toString(36)}@acme.test`;
  const form = page.getByRole('form', { name: 'Invite a user' });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Role').selectOption('viewer');
  await expect(form.getByText('Store staff only')).toHaveCount(0);
  await form.getByRole('button', { name: 'Invite a user' }).click();
  const shown = page.getByRole('region', { name: `Set-password link for ${email}` });
  await expect(shown).toBeVisible();
  const link = (await shown.getByTestId('secret').textContent())!;
  expect(link).toMatch(/\/set-password#token=upw_/);
  expect(link).not.toContain('?');
  await expect(page.getByTestId(`user-${email}`).getByText('Invited')).toBeVisible();
  await snap(page, 'users-invited');

  // The invitee, in a browser of their own.
  const context = await browser.newContext();
  const viewer = await context.newPage();
  await viewer.goto(link);
  await expect(viewer.getByRole('heading', { name: 'Choose your password' })).toBeVisible();
  await snap(viewer, 'set-password');
  await viewer.getByLabel('New password').fill('viewer e2e password');
  await viewer.getByLabel('Repeat the password').fill('viewer e2e typo');
  await viewer.getByRole('button', { name: 'Set password and log in' }).click();
  await expect(viewer.getByText('The two passwords differ.')).toBeVisible();
  await viewer.getByLabel('Repeat the password').fill('viewer e2e password');
  await viewer.getByRole('button', { name: 'Set password and log in' }).click();
  await expect(viewer).toHaveURL(at('/'));
  await expect(viewer.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(viewer.getByTestId('user-role')).toHaveText('Viewer');
  const viewerNav = viewer.getByRole('navigation', { name: 'Main navigation' });
  await expect(viewerNav.getByRole('link', { name: 'Members' })).toBeVisible();
  await expect(viewerNav.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await viewer.goto(at('/users'));
  await expect(viewer).toHaveURL(at('/'));
  await snap(viewer, 'viewer-overview');

  // A write forced past the interface, with the session's own CSRF token: 403.
  const me = await (await viewer.request.get(at('/v1/auth/me'))).json();
  expect(me.user.role).toBe('viewer');
  const write = await viewer.request.patch(at('/v1/program'), { headers: { 'X-CSRF-Token': me.csrfToken }, data: { earn: { pointsPerUnit: 7 } } });
  expect(write.status()).toBe(403);
  expect((await write.json()).code).toBe('forbidden');
  const read = await viewer.request.get(at('/v1/members'));
  expect(read.status()).toBe(200);

  // The link worked once.
  await viewer.goto(link);
  await viewer.getByLabel('New password').fill('another e2e password');
  await viewer.getByLabel('Repeat the password').fill('another e2e password');
  await viewer.getByRole('button', { name: 'Set password and log in' }).click();
  await expect(viewer.getByRole('alert').filter({ hasText: 'already used or expired' })).toBeVisible();
  await context.close();

  // Back with the owner: the viewer is active now.
  await page.reload();
  await expect(page.getByTestId(`user-${email}`).getByText('Active')).toBeVisible();
});

test('the Users page on a phone in zh-CN: no sideways scroll, roles in words', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await login(page, state().owner);
  await page.getByLabel('Language').selectOption('zh-CN');
  await page.goto(at('/users'));
  await expect(page.getByRole('heading', { name: '用户', exact: true })).toBeVisible();
  await expect(page.getByTestId('user-role')).toHaveText('所有者');
  await expect(page.getByTestId(`user-${state().owner.email}`).getByRole('combobox')).toHaveValue('owner');
  await expect(page.getByTestId(`user-${state().owner.email}`).getByRole('option', { name: '所有者' })).toHaveCount(1);
  await expect(page.getByTestId('role-hint')).toHaveText('会员、积分调整、发券与查询');
  const body = (await page.locator('main').textContent()) ?? '';
  // No message key on screen; the role picker's options are words (emails may contain any text).
  expect(body).not.toMatch(/users\.|role\.|setPassword\./);
  const options = await page.getByTestId(`user-${state().owner.email}`).getByRole('option').allTextContents();
  expect(options).toEqual(['所有者', '管理员', '门店员工', '只读成员']);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, '/users scrolls sideways at 390 px').toBe(0);
  await snap(page, 'users-phone-zh');
  await page.getByLabel('语言').selectOption('en');
});
