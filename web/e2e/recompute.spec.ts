// The recompute journey: the model switch on the settings page offers a preview of replaying
// every member under it; the preview page shows the tier moves, then applies them after a
// confirmation. At 1440 px in English and 390 px in Chinese, screenshots kept as artifacts.
// The e2e server carries out previews and applies itself (the journeys run no worker).
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { at, login, seed, state } from './fixtures';

async function api<T = Record<string, unknown>>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const r = await fetch(`${state().url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${state().tenantKey}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

async function until(id: string, status: string) {
  await expect
    .poll(async () => (await api<{ status: string }>('GET', `/v1/recompute/${id}`)).status, { timeout: 30_000 })
    .toBe(status);
}

/** No sideways scroll and no message key on screen. */
async function looksRight(page: Page, what: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${what} scrolls sideways`).toBe(0);
  const text = await page.locator('main').innerText();
  expect(text, `${what} shows a message key`).not.toMatch(/\b(?:recompute|settings|ladder)\.[a-z][\w.]*/);
  expect(text, `${what} shows a raw code`).not.toMatch(/\b(?:recompute_adjust|stale_preview|qualificationModel)\b/);
}

async function shot(page: Page, info: TestInfo, name: string) {
  await page.screenshot({ path: info.outputPath(`${name}.png`), fullPage: true });
}

test('the model switch previews who would move, then applies it to every member', async ({ page }, info) => {
  // ¥1,500 of orders: Silver by growth (1,000), below Silver's ¥2,000 of rolling spend.
  await seed('POST', '/v1/members', { unionId: 'E2E-RECOMPUTE' });
  const stores = (await api<{ data: { id: string; code: string }[] }>('GET', '/v1/stores')).data;
  await seed('POST', '/v1/orders', { externalId: 'e2e-recompute-1', member: 'E2E-RECOMPUTE', storeId: stores[0]!.id, amountCents: 150_000 });
  expect((await api<{ tier: { code: string } }>('GET', '/v1/members/E2E-RECOMPUTE')).tier.code).toBe('silver');

  await page.setViewportSize({ width: 1440, height: 900 });
  await login(page, state().owner);
  await page.goto(at('/settings'));
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.getByLabel('Qualification model').selectOption('spend');
  const offer = page.getByTestId('recompute-offer');
  await expect(offer).toContainText('replay every member’s history');
  await shot(page, info, 'settings-recompute-offer');
  await offer.getByRole('button', { name: 'Preview the effect' }).click();

  await expect(page).toHaveURL(/\/recompute\/rcp_/);
  await expect(page.getByRole('heading', { level: 1, name: 'Recompute preview' })).toBeVisible();
  await expect(page.getByTestId('recompute-status')).toContainText('Ready to apply', { timeout: 30_000 });
  // Nothing is saved by a preview.
  expect((await api<{ qualificationModel: string }>('GET', '/v1/program')).qualificationModel).toBe('growth');
  await expect(page.getByText('Rolling 365-day spend')).toBeVisible();
  const sample = page.getByTestId('recompute-sample');
  await expect(sample).toContainText('E2E-RECOMPUTE');
  await expect(sample.locator('li', { hasText: 'E2E-RECOMPUTE' })).toContainText('Silver → Bronze');
  const matrix = page.getByTestId('recompute-matrix');
  await expect(matrix.getByRole('rowheader', { name: 'Silver' })).toBeVisible();
  await expect(page.getByTestId('recompute-summary')).toContainText('Members moving down');
  await looksRight(page, 'the preview');
  await shot(page, info, 'recompute-preview-desktop-en');

  await page.getByRole('button', { name: 'Apply to all members' }).click();
  const dialog = page.getByRole('dialog', { name: 'Apply this recompute?' });
  await expect(dialog).toContainText('move down');
  await dialog.getByRole('button', { name: 'Apply to all members' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('recompute-status')).toContainText('Applied', { timeout: 30_000 });
  await expect(page.getByTestId('recompute-applied')).toContainText('tier changes');
  expect((await api<{ qualificationModel: string }>('GET', '/v1/program')).qualificationModel).toBe('spend');
  expect((await api<{ tier: { code: string } }>('GET', '/v1/members/E2E-RECOMPUTE')).tier.code).toBe('bronze');
  await shot(page, info, 'recompute-applied-desktop-en');

  // The same page on a phone, in Chinese.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.context().addCookies([{ name: 'up.lang', value: 'zh-CN', url: process.env.E2E_BASE_URL! }]);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: '重算预览' })).toBeVisible();
  await expect(page.getByTestId('recompute-status')).toContainText('已应用');
  await expect(page.getByTestId('recompute-matrix')).toBeVisible();
  await looksRight(page, 'the applied recompute on a phone');
  await shot(page, info, 'recompute-applied-phone-zh');
  await page.context().addCookies([{ name: 'up.lang', value: 'en', url: process.env.E2E_BASE_URL! }]);

  // Back to the growth model for the journeys after this one, the same way.
  const back = await api<{ id: string }>('POST', '/v1/recompute/preview', { qualificationModel: 'growth' });
  await until(back.id, 'ready');
  await api('POST', `/v1/recompute/${back.id}/apply`, {});
  await until(back.id, 'applied');
  expect((await api<{ qualificationModel: string }>('GET', '/v1/program')).qualificationModel).toBe('growth');
  expect((await api<{ tier: { code: string } }>('GET', '/v1/members/E2E-RECOMPUTE')).tier.code).toBe('silver');
});

test('a preview made before a program change says it is stale and cannot be applied', async ({ page }) => {
  const made = await api<{ id: string }>('POST', '/v1/recompute/preview', { growthRules: { dailyLogin: 6 } });
  await until(made.id, 'ready');
  const program = await api<{ redeem: { maxShareBps: number } }>('GET', '/v1/program');
  await seed('PATCH', '/v1/program', { redeem: { maxShareBps: program.redeem.maxShareBps } });
  await page.setViewportSize({ width: 1440, height: 900 });
  await login(page, state().owner);
  await page.goto(at(`/recompute/${made.id}`));
  await expect(page.getByRole('alert').filter({ hasText: 'can no longer be applied' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Apply to all members' })).toBeDisabled();
  await page.getByRole('button', { name: 'Make a new preview' }).click();
  await expect(page).not.toHaveURL(new RegExp(made.id));
  await expect(page.getByTestId('recompute-status')).toContainText('Ready to apply', { timeout: 30_000 });
  await expect(page.getByText('can no longer be applied')).toHaveCount(0);
});
