import { expect, test } from '@playwright/test';
import { at, login, seed, snap, state } from './fixtures';

test.beforeEach(async ({ page }) => {
  await login(page, state().owner);
});

test('the owner edits a coupon template, then archives it', async ({ page }) => {
  await page.goto(at('/coupons'));
  const create = page.getByRole('form', { name: 'Create' });
  await create.getByLabel('Code').fill('SPRING5');
  await create.getByLabel('Name').fill('Spring 5 off');
  await create.getByLabel('Kind').selectOption('amount');
  await create.getByLabel('Amount off (cents)').fill('500');
  await create.getByLabel('Valid days').fill('7');
  await create.getByLabel('Stock (empty = unlimited)').fill('10');
  await create.getByRole('button', { name: 'Create' }).click();
  const row = page.getByRole('row').filter({ hasText: 'SPRING5' });
  await expect(row).toContainText('Spring 5 off');
  await expect(row).toContainText('Active');

  // Edit: the code is fixed; only what changed is sent.
  await row.getByRole('button', { name: 'Edit SPRING5' }).click();
  const edit = page.getByRole('form', { name: 'Edit SPRING5' });
  await expect(edit.getByLabel('Code')).toHaveAttribute('readonly', '');
  await expect(edit.getByLabel('Name')).toBeFocused();
  // Refused input shows the API's field error and changes nothing.
  await edit.getByLabel('Valid days').fill('0');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit.getByRole('alert')).toContainText('validDays');
  await expect(row).toContainText('Spring 5 off');

  await edit.getByLabel('Valid days').fill('14');
  await edit.getByLabel('Name').fill('Spring 6 off');
  await edit.getByLabel('Amount off (cents)').fill('600');
  await edit.getByLabel('Stock (empty = unlimited)').fill('');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'SPRING5 saved.' })).toBeVisible();
  await expect(row).toContainText('Spring 6 off');
  await expect(row).toContainText('600');
  await expect(row).toContainText('14');
  await snap(page, 'coupons-edited');

  // Archive, behind a confirmation; Escape cancels.
  await row.getByRole('button', { name: 'Archive SPRING5' }).click();
  const dialog = page.getByRole('dialog', { name: 'Archive SPRING5?' });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('Active');
  await row.getByRole('button', { name: 'Archive SPRING5' }).click();
  await snap(page, 'coupons-archive-confirm');
  await dialog.getByRole('button', { name: 'Archive' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'SPRING5 archived.' })).toBeVisible();
  await expect(row).toHaveCount(0);
  await page.getByLabel('Show archived').check();
  await expect(row).toContainText('Archived');
  await expect(row.getByRole('button', { name: 'Edit SPRING5' })).toHaveCount(0);
  await snap(page, 'coupons-archived');

  // No longer offered for a new grant on the member page.
  await seed('POST', '/v1/members', { unionId: 'E2E-ARCH' });
  await page.goto(at('/members/E2E-ARCH'));
  await page.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: 'Grant a coupon' }).click();
  const grant = page.getByRole('form', { name: 'Grant a coupon' });
  await expect(grant).toBeVisible();
  await expect(grant.getByRole('option', { name: /SPRING5/ })).toHaveCount(0);
});

test('the owner sets a paid plan’s benefits and edits them', async ({ page }) => {
  await page.goto(at('/plans'));
  const create = page.getByRole('form', { name: 'Create' });
  await create.getByLabel('Code').fill('E2EPLUS');
  await create.getByLabel('Name').fill('E2E Plus');
  await create.getByLabel('Price (cents)').fill('9900');
  await create.getByLabel('Member price (bps)').fill('500');
  await create.getByLabel('Points multiplier (bps)').fill('15000');
  await create.getByRole('button', { name: 'Create' }).click();
  const row = page.getByRole('row').filter({ hasText: 'E2EPLUS' });
  await expect(row).toContainText('E2E Plus');

  await row.getByRole('button', { name: 'Edit E2EPLUS' }).click();
  let edit = page.getByRole('form', { name: 'Edit E2EPLUS' });
  await expect(edit.getByLabel('Member price (bps)')).toHaveValue('500');
  await expect(edit.getByLabel('Points multiplier (bps)')).toHaveValue('15000');
  await expect(edit.getByLabel('Free shipping from (cents)')).toHaveValue('');
  // One benefit changed, one removed, one kept: the plan's benefits are sent whole.
  await edit.getByLabel('Member price (bps)').fill('');
  await edit.getByLabel('Free shipping from (cents)').fill('3900');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'E2EPLUS saved.' })).toBeVisible();

  await row.getByRole('button', { name: 'Edit E2EPLUS' }).click();
  edit = page.getByRole('form', { name: 'Edit E2EPLUS' });
  await expect(edit.getByLabel('Member price (bps)')).toHaveValue('');
  await expect(edit.getByLabel('Points multiplier (bps)')).toHaveValue('15000');
  await expect(edit.getByLabel('Free shipping from (cents)')).toHaveValue('3900');
  await snap(page, 'plans-benefits-edited');
});
