import { expect, test } from '@playwright/test';
import { at, login, seed, snap, state } from './fixtures';

// Two editors end to end, each with several saves and reloads: more time than the default.
test.setTimeout(180_000);

test.beforeEach(async ({ page }) => {
  await login(page, state().owner);
});

test('the owner defines a weekly task, edits its reward, and sets referral and onboarding', async ({ page }) => {
  await seed('POST', '/v1/coupon-templates', { code: 'e2e-welcome', name: 'E2E welcome', kind: 'amount', amountCents: 500, validDays: 30 });
  await page.goto(at('/tasks'));
  await expect(page.getByRole('heading', { name: 'Task center' })).toBeVisible();
  // The built-in tasks are listed, in words.
  await expect(page.getByRole('row').filter({ hasText: '完成首单' })).toContainText('Completed orders');
  // Codes are not on the list (built-in ones are system codes); the name leads each row.
  await expect(page.getByRole('cell', { name: 'first_order', exact: true })).toHaveCount(0);
  const create = page.getByRole('form', { name: 'Create' });
  await create.getByLabel('Code', { exact: true }).fill('weekly3');
  await create.getByLabel('Name', { exact: true }).fill('Three orders a week');
  await create.getByLabel('Type', { exact: true }).selectOption('growth');
  await create.getByLabel('Counts', { exact: true }).selectOption('order_completed');
  await create.getByLabel('Target', { exact: true }).fill('3');
  await create.getByLabel('Repeats', { exact: true }).selectOption('weekly');
  await create.getByLabel('Reward points', { exact: true }).fill('30');
  await create.getByRole('button', { name: 'Create' }).click();
  const row = page.getByRole('row').filter({ hasText: 'Three orders a week' });
  await expect(row).toContainText('Every week (from Monday)');
  await expect(row).toContainText('30 points');

  await row.getByRole('button', { name: 'Edit weekly3' }).click();
  const edit = page.getByRole('form', { name: 'Edit weekly3' });
  await edit.getByLabel('Reward growth', { exact: true }).fill('15');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'weekly3 saved.' })).toBeVisible();
  await expect(row).toContainText('15 growth');
  await snap(page, 'tasks');

  const settings = page.getByRole('form', { name: 'Referrals and onboarding' });
  await settings.getByLabel('Inviter points per completed referral', { exact: true }).fill('200');
  await settings.getByLabel('Trial days', { exact: true }).fill('5');
  // Templates and tiers are chosen by name from what the API holds, not typed as codes.
  const invitee = settings.getByLabel('Welcome coupon for the invitee', { exact: true });
  await expect(invitee.getByRole('option', { name: 'No coupon' })).toHaveCount(1);
  await invitee.selectOption('e2e-welcome');
  const trial = settings.getByLabel('Trial tier for new members', { exact: true });
  await expect(trial.locator('option')).toContainText(['No trial', 'Silver', 'Gold']);
  await trial.selectOption({ label: 'Silver' });
  await settings.getByRole('checkbox', { name: /E2E welcome/ }).check();
  await settings.getByLabel("Invitee's first order at least", { exact: true }).fill('12.345');
  await settings.getByRole('button', { name: 'Save' }).click();
  await expect(settings.getByText('Too many decimal places.')).toBeVisible();
  await settings.getByLabel("Invitee's first order at least", { exact: true }).fill('30');
  await settings.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Referral and onboarding settings saved.' })).toBeVisible();
  const program = await (await fetch(`${state().url}/v1/program`, { headers: { Authorization: `Bearer ${state().tenantKey}` } })).json();
  expect(program.referral).toMatchObject({ inviterPoints: 200, inviteeCouponTemplateCode: 'e2e-welcome', minFirstOrderCents: 3000 });
  expect(program.onboarding).toMatchObject({ trialDays: 5, trialTierCode: 'silver', welcomeCouponTemplateCodes: ['e2e-welcome'] });
  await page.reload();
  const again = page.getByRole('form', { name: 'Referrals and onboarding' });
  await expect(again.getByLabel('Inviter points per completed referral', { exact: true })).toHaveValue('200');
  await expect(again.getByLabel('Welcome coupon for the invitee', { exact: true })).toHaveValue('e2e-welcome');
  await expect(again.getByLabel('Trial tier for new members', { exact: true })).toHaveValue('silver');
  await expect(again.getByRole('checkbox', { name: /E2E welcome/ })).toBeChecked();
  await expect(again.getByLabel("Invitee's first order at least", { exact: true })).toHaveValue('30');
});

test('the owner creates an application campaign and approves an application', async ({ page }) => {
  await seed('POST', '/v1/members', { unionId: 'e2e-applicant' });
  await seed('POST', '/v1/campaigns', { code: 'tasting', name: 'New tea tasting', kind: 'application', startsAt: '2000-01-01T00:00:00Z', endsAt: '9999-01-01T00:00:00Z', seats: 5 });
  await seed('POST', '/v1/campaigns/tasting/applications', { member: 'e2e-applicant', reference: 'e2e-apply-1' });
  await page.goto(at('/campaigns'));
  const create = page.getByRole('form', { name: 'New campaign' });
  await create.getByLabel('Code', { exact: true }).fill('vip-sale');
  await create.getByLabel('Name', { exact: true }).fill('VIP sale');
  await create.getByLabel('Kind', { exact: true }).selectOption('early_access');
  // Dates are typed in the page's order (or picked), times as 24-hour HH:mm.
  await create.getByLabel('Opens', { exact: true }).fill('2030-06-01');
  await create.getByLabel('Opens, time', { exact: true }).fill('10:00');
  await create.getByLabel('Closes', { exact: true }).fill('2030/6/2');
  await create.getByLabel('Closes, time', { exact: true }).fill('25:00');
  await expect(create.getByText('Type the time as 24-hour HH:mm, e.g. 09:30.')).toBeVisible();
  await create.getByLabel('Closes, time', { exact: true }).fill('10:00');
  await create.getByLabel('SKUs (early access)', { exact: true }).fill('TEA-1, TEA-2');
  await create.getByLabel('Per-member limit (early access)', { exact: true }).fill('2');
  await create.getByRole('button', { name: 'Create campaign' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'vip-sale' })).toContainText('at most 2 per member');

  const tasting = page.getByRole('row').filter({ hasText: 'tasting' });
  await expect(tasting).toContainText('1 of 5 seats taken');
  await tasting.getByRole('button', { name: 'Applications' }).click();
  const apps = page.getByRole('region', { name: 'Applications to tasting' });
  const applicant = apps.getByRole('row').filter({ hasText: 'e2e-applicant' });
  await expect(applicant).toContainText('Applied');
  await applicant.getByRole('button', { name: 'Approve' }).click();
  await expect(applicant).toContainText('Approved');
  await expect(applicant.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  await snap(page, 'campaigns');
});

test('the task and campaign pages fit a phone, in zh-CN too', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  for (const lang of ['en', 'zh-CN']) {
    await page.context().addCookies([{ name: 'up.lang', value: lang, url: at('/') }]);
    for (const path of ['/tasks', '/campaigns']) {
      await page.goto(at(path));
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.getByText(lang === 'en' ? 'Loading…' : '加载中…')).toHaveCount(0);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${path} (${lang}) scrolls sideways at 390 px`).toBe(0);
    }
  }
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('会员专属活动');
});
