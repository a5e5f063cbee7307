import { expect, test, type Page } from '@playwright/test';
import { at, login, seed, snap, state } from './fixtures';

test('an owner invites a viewer; the viewer sets a password from the link, sees no Users page, and the API refuses a forced write', async ({
  page,
  browser,
}) => {
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
  const write = await viewer.request.patch(at('/v1/program'), {
    headers: { 'X-CSRF-Token': me.csrfToken },
    data: { earn: { pointsPerUnit: 7 } },
  });
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

/** The names of write controls (buttons, links, menu openers) in en. */
const WRITE =
  /^(save|add|create|new|edit|delete|remove|archive|revoke|run|invite|adjust|merge|grant|approve|replay|send test event|change|start|discard|actions)\b/i;

/** Every merchant page, with a heading and, where seeded, a row it must show. */
const PAGES: { path: string; heading: string; shows?: string }[] = [
  { path: '/', heading: 'Overview' },
  { path: '/settings', heading: 'Program settings' },
  { path: '/tiers', heading: 'Tier ladder', shows: 'Open to every member' },
  { path: '/benefits', heading: 'Benefit catalogue', shows: 'Role gift' },
  { path: '/coupons', heading: 'Coupon templates', shows: 'ROLE-C' },
  { path: '/rewards', heading: 'Rewards catalogue', shows: 'ROLE-R' },
  { path: '/plans', heading: 'Paid plans', shows: 'ROLE-P' },
  { path: '/tasks', heading: 'Task center' },
  { path: '/campaigns', heading: 'Member campaigns', shows: 'Role preview' },
  { path: '/members?q=U-1001', heading: 'Members', shows: 'U-1001' },
  { path: '/members/U-1001', heading: 'U-1001', shows: 'Li Lei' },
  { path: '/points', heading: 'Points' },
  { path: '/retention', heading: 'Tier retention' },
  { path: '/stores', heading: 'Stores', shows: 'Acme Flagship' },
  { path: '/api-keys', heading: 'API keys' },
  { path: '/webhooks', heading: 'Webhooks', shows: 'https://hooks.role.test/in' },
  { path: '/audit', heading: 'Audit log' },
];

async function seedRoleData() {
  await seed('POST', '/v1/coupon-templates', {
    code: 'ROLE-C',
    name: 'Role coupon',
    kind: 'amount',
    amountCents: 500,
    validDays: 30,
  }).catch(ignoreDuplicate);
  await seed('POST', '/v1/rewards', { code: 'ROLE-R', name: 'Role mug', pointsCost: 20 }).catch(ignoreDuplicate);
  await seed('POST', '/v1/plans', { code: 'ROLE-P', name: 'Role plus', priceCents: 990, period: 'month' }).catch(ignoreDuplicate);
  await seed('POST', '/v1/benefits', {
    code: 'role-gift',
    name: 'Role gift',
    category: 'shopping',
    kind: 'gift',
    grants: [{ tier: 'bronze', count: 1, per: 'month' }],
  }).catch(ignoreDuplicate);
  await seed('POST', '/v1/campaigns', {
    code: 'role-preview',
    name: 'Role preview',
    kind: 'application',
    startsAt: '2000-01-01T00:00:00Z',
    endsAt: '9999-01-01T00:00:00Z',
    seats: 5,
  }).catch(ignoreDuplicate);
  await seed('POST', '/v1/campaigns/role-preview/applications', { member: 'U-1003', reference: 'role-apply-1' });
  await seed('POST', '/v1/webhooks', { url: 'https://hooks.role.test/in', events: ['order.completed'] });
}
const ignoreDuplicate = (e: Error) => {
  if (!/ 409 /.test(e.message)) throw e;
};

/** A dashboard user with this role and password, added by the owner through POST /v1/users. */
async function addUser(owner: Page, role: 'viewer' | 'staff'): Promise<{ email: string; password: string }> {
  const me = await (await owner.request.get(at('/v1/auth/me'))).json();
  const who = { email: `${role}-${Date.now().toString(36)}@acme.test`, password: `${role} e2e password` };
  const r = await owner.request.post(at('/v1/users'), { headers: { 'X-CSRF-Token': me.csrfToken }, data: { ...who, role } });
  expect(r.status(), await r.text()).toBe(201);
  return who;
}

/** No visible button, link or menu item named like a write on the page. */
async function expectNoWriteControls(page: Page, where: string) {
  for (const role of ['button', 'link', 'menuitem'] as const) {
    const found = await page.getByRole(role, { name: WRITE }).allTextContents();
    expect(found, `${role}s on ${where} that a viewer may not use`).toEqual([]);
  }
}

test('a viewer sees every merchant page with its data and no write control; the API refuses a forced write', async ({ page, browser }) => {
  // Nineteen pages, each checked and photographed: more than the default minute on a busy machine.
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await seedRoleData();
  await login(page, state().owner);
  // The same check finds the owner's controls: it is not blind.
  await page.goto(at('/stores'));
  await expect(page.getByRole('button', { name: WRITE }).first()).toBeVisible();
  const who = await addUser(page, 'viewer');

  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const viewer = await context.newPage();
  await login(viewer, who);
  await expect(viewer.getByTestId('user-role')).toHaveText('Viewer');
  for (const p of PAGES) {
    await viewer.goto(at(p.path));
    await expect(viewer.getByRole('heading', { level: 1 }).filter({ hasText: p.heading }), p.path).toBeVisible();
    if (p.shows) await expect(viewer.getByText(p.shows).first(), `${p.path} shows ${p.shows}`).toBeVisible();
    await expect(viewer.getByText('Loading', { exact: false })).toHaveCount(0);
    await expectNoWriteControls(viewer, p.path);
    await snap(viewer, `viewer${p.path === '/' ? '-overview-1440' : p.path.replaceAll('/', '-')}`);
  }
  // The settings are shown, not editable.
  await viewer.goto(at('/settings'));
  await expect(viewer.getByTestId('settings-intro')).toHaveText(
    'Your role can see these settings but not change them; an owner or admin can.',
  );
  await expect(viewer.getByRole('textbox').first()).toBeDisabled();
  // The campaign's applications open (a read) without an Approve button.
  await viewer.goto(at('/campaigns'));
  await viewer.getByRole('row').filter({ hasText: 'role-preview' }).getByRole('button', { name: 'Applications' }).click();
  await expect(viewer.getByRole('region', { name: /role-preview/ }).getByText('U-1003')).toBeVisible();
  await expectNoWriteControls(viewer, '/campaigns (applications)');

  // Forced writes past the interface: 403, nothing written.
  const me = await (await viewer.request.get(at('/v1/auth/me'))).json();
  const headers = { 'X-CSRF-Token': me.csrfToken };
  const adjust = await viewer.request.post(at('/v1/members/U-1001/points/adjust'), {
    headers,
    data: { delta: 5, reason: 'forced', reference: 'role-forced-1' },
  });
  expect(adjust.status()).toBe(403);
  expect((await adjust.json()).code).toBe('forbidden');
  const store = await viewer.request.post(at('/v1/stores'), { headers, data: { code: 'forced', name: 'Forced', channel: 'online' } });
  expect(store.status()).toBe(403);
  const stores = await (await viewer.request.get(at('/v1/stores'))).json();
  expect(stores.data.map((s: { code: string }) => s.code)).not.toContain('forced');
  await context.close();
});

test('store staff adjust points on a member page but do not change settings, tiers or the catalogue', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await seed('POST', '/v1/members', { unionId: 'E2E-STAFF', profile: { name: 'Zhou Jie' } });
  await login(page, state().staff);
  await expect(page.getByTestId('user-role')).toHaveText('Store staff');
  await page.goto(at('/members/E2E-STAFF'));
  await expect(page.getByTestId('member-name')).toHaveText('Zhou Jie');
  await expect(page.getByTestId('points-balance')).toHaveText('0');
  await page.getByRole('button', { name: 'Actions' }).click();
  await expect(page.getByRole('menuitem', { name: 'Adjust points' })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: 'Grant a coupon' })).toBeVisible();
  // Tier changes, trials and merges are the admins'.
  await expect(page.getByRole('menuitem')).toHaveCount(2);
  await snap(page, 'staff-member-actions');
  await page.getByRole('menuitem', { name: 'Adjust points' }).click();
  const form = page.getByRole('form', { name: 'Adjust points' });
  await form.getByLabel('Points (+ to add, − to remove)').fill('15');
  await form.getByLabel('Reason').fill('staff goodwill');
  await form.getByRole('button', { name: 'Adjust points' }).click();
  await expect(page.getByTestId('points-balance')).toHaveText('15');

  await page.goto(at('/settings'));
  await expect(page.getByRole('heading', { name: 'Program settings' })).toBeVisible();
  await expect(page.getByRole('textbox').first()).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Save' })).toHaveCount(0);
  await snap(page, 'staff-settings');
  for (const path of ['/tiers', '/coupons', '/stores', '/webhooks']) {
    await page.goto(at(path));
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByText('Loading', { exact: false })).toHaveCount(0);
    await expectNoWriteControls(page, `${path} as staff`);
  }
  const me = await (await page.request.get(at('/v1/auth/me'))).json();
  const write = await page.request.patch(at('/v1/program'), {
    headers: { 'X-CSRF-Token': me.csrfToken },
    data: { earn: { pointsPerUnit: 7 } },
  });
  expect(write.status()).toBe(403);
});
