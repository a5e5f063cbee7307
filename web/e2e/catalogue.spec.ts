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
  await create.getByLabel('Amount off').fill('5');
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
  await expect(edit.getByLabel('Valid days')).toHaveAttribute('aria-invalid', 'true');
  await expect(row).toContainText('Spring 5 off');

  await edit.getByLabel('Valid days').fill('14');
  await edit.getByLabel('Name').fill('Spring 6 off');
  await edit.getByLabel('Amount off').fill('6');
  await edit.getByLabel('Stock (empty = unlimited)').fill('');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'SPRING5 saved.' })).toBeVisible();
  await expect(row).toContainText('Spring 6 off');
  await expect(row).toContainText('¥6.00');
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
  await expect(page.getByTestId('toast').filter({ hasText: 'SPRING5 archived.' })).toBeVisible();
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
  await create.getByLabel('Price', { exact: true }).fill('99');
  await create.getByLabel('Member price').fill('5');
  await create.getByLabel('Points multiplier').fill('1.5');
  await create.getByRole('button', { name: 'Create' }).click();
  const row = page.getByRole('row', { name: /^E2EPLUS / });
  await expect(row).toContainText('E2E Plus');

  await row.getByRole('button', { name: 'Edit E2EPLUS' }).click();
  let edit = page.getByRole('form', { name: 'Edit E2EPLUS' });
  await expect(edit.getByLabel('Member price')).toHaveValue('5');
  await expect(edit.getByLabel('Points multiplier')).toHaveValue('1.5');
  await expect(edit.getByLabel('Free shipping over')).toHaveValue('');
  // One benefit changed, one removed, one kept: the plan's benefits are sent whole.
  await edit.getByLabel('Member price').fill('');
  await edit.getByLabel('Free shipping over').fill('39');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'E2EPLUS saved.' })).toBeVisible();

  await row.getByRole('button', { name: 'Edit E2EPLUS' }).click();
  edit = page.getByRole('form', { name: 'Edit E2EPLUS' });
  await expect(edit.getByLabel('Member price')).toHaveValue('');
  await expect(edit.getByLabel('Points multiplier')).toHaveValue('1.5');
  await expect(edit.getByLabel('Free shipping over')).toHaveValue('39');
  await snap(page, 'plans-benefits-edited');
});
