// The audit log as a merchant reads it (filters in the URL, changes field by field in words
// and merchant units), date fields in the page's language order, the tier legend in ladder
// order, and fields a role cannot change looking disabled; at 1440 and 390 px, en and zh-CN.
import { expect, test, type Page } from '@playwright/test';
import { at, login, seed, snap, state } from './fixtures';

async function useLanguage(page: Page, lang: 'en' | 'zh-CN') {
  await page.context().addCookies([{ name: 'up.lang', value: lang, url: process.env.E2E_BASE_URL! }]);
}
/** Today in the tenant's zone, YYYY-MM-DD. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const dayAfter = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const noSideScroll = async (page: Page, what: string) =>
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `${what} scrolls sideways`).toBe(0);

test('the audit log filters by kind, member and dates, kept in the URL, and shows each change in words', async ({ page }) => {
  test.setTimeout(120_000);
  await seed('POST', '/v1/members', { unionId: 'e2e-audit' });
  await seed('POST', '/v1/members/e2e-audit/points/adjust', { delta: 50, reason: 'welcome back' });
  await login(page, state().owner);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(at('/audit'));
  const filters = page.getByRole('search', { name: 'Filter the audit log' });
  await filters.getByLabel('Kind', { exact: true }).selectOption({ label: 'Points' });
  await expect(page).toHaveURL(/[?&]kind=points/);
  const rows = page.locator('[data-testid^="entry-"]');
  await expect(rows.first()).toContainText('Points adjusted');
  for (const id of await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))) expect(id).toMatch(/^entry-points\./);

  await filters.getByLabel('Member (unionId)', { exact: true }).fill('e2e-audit');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/member=e2e-audit/);
  await expect(rows).toHaveCount(1);
  const changes = rows.first().getByTestId('audit-changes');
  // Field by field, in words: the balance before and after, the change, the reason; no JSON.
  await expect(changes).toContainText('Points balance: 0→50');
  await expect(changes).toContainText('Delta: 50');
  await expect(changes).toContainText('Reason: welcome back');
  await expect(changes).not.toContainText('{');

  // Dates in the tenant's zone: today keeps the entry, from tomorrow on nothing matches.
  await filters.getByLabel('From', { exact: true }).fill(today());
  await expect(page).toHaveURL(new RegExp(`from=${today()}`));
  await expect(rows).toHaveCount(1);
  await page.reload();
  await expect(page.getByRole('search', { name: 'Filter the audit log' }).getByLabel('Kind', { exact: true })).toHaveValue('points');
  await expect(page.getByRole('search', { name: 'Filter the audit log' }).getByLabel('Member (unionId)', { exact: true })).toHaveValue('e2e-audit');
  await expect(rows).toHaveCount(1);
  await snap(page, 'audit-filtered-en-1440');
  await filters.getByLabel('From', { exact: true }).fill(dayAfter(today()));
  await expect(page.getByTestId('empty-state')).toContainText('No entries match these filters');
  await filters.getByLabel('From', { exact: true }).fill('2026-02-30');
  await expect(filters.getByText('Not a date: type it as 2026-12-02.')).toBeVisible();

  await filters.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(rows.first()).toBeVisible();

  await page.goto(at('/audit?member=nobody-here'));
  await expect(page.getByTestId('empty-state')).toContainText('No member nobody-here');

  // The same view in Chinese on a phone: labels in words, dates as yyyy/mm/dd, no sideways scroll.
  await useLanguage(page, 'zh-CN');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(at(`/audit?kind=points&member=e2e-audit&from=${today()}`));
  const zh = page.getByRole('search', { name: '筛选审计日志' });
  await expect(zh.getByLabel('开始日期', { exact: true })).toHaveValue(today().replaceAll('-', '/'));
  await expect(page.getByTestId('card-list')).toContainText('调整积分');
  await expect(page.getByTestId('card-list')).toContainText('积分余额');
  await expect(page.locator('main')).not.toContainText('points.adjusted');
  await noSideScroll(page, '/audit zh-CN 390');
  await snap(page, 'audit-filtered-zh-390');
});

test('zh-CN date fields read yyyy/mm/dd whatever the browser language, and take a typed date', async ({ page }) => {
  await login(page, state().owner);
  await useLanguage(page, 'zh-CN');
  await page.goto(at('/?from=2026-11-01&to=2026-11-30'));
  const from = page.getByLabel('开始日期', { exact: true });
  await expect(from).toHaveValue('2026/11/01');
  await expect(page.getByLabel('结束日期', { exact: true })).toHaveValue('2026/11/30');
  await from.fill('2026年11月2日');
  await page.getByRole('button', { name: '应用' }).click();
  await expect(page).toHaveURL(/from=2026-11-02/);
  await expect(from).toHaveValue('2026/11/02');
  await snap(page, 'overview-dates-zh-1280');
  await page.goto(at('/retention'));
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await snap(page, 'retention-dates-zh-1280');
});

test('the tier distribution lists tiers in ladder order', async ({ page }) => {
  await login(page, state().owner);
  const tiers = (await (await fetch(`${state().url}/v1/tiers`, { headers: { Authorization: `Bearer ${state().tenantKey}` } })).json()) as {
    data: { name: string; rank: number }[];
  };
  const names = [...tiers.data].sort((a, b) => a.rank - b.rank).map((x) => x.name);
  await page.goto(at('/'));
  const legend = page.getByTestId('tier-legend');
  await expect(legend.locator('li')).toHaveCount(names.length);
  const shown = await legend.locator('li').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
  shown.forEach((text, i) => expect(text.startsWith(names[i]!), `${i}: ${text}`).toBe(true));
});

test('what a role cannot change looks disabled and says so; a fixed code looks read-only', async ({ page, browser }) => {
  const staff = await browser.newPage();
  await login(staff, state().staff);
  await staff.goto(at('/tasks'));
  const form = staff.getByRole('form', { name: 'Referrals and onboarding' });
  await expect(form.getByText('Your role can see these settings but not change them; an owner or admin can.')).toBeVisible();
  const points = form.getByLabel('Inviter points per completed referral', { exact: true });
  await expect(points).toBeDisabled();
  await expect(points).toHaveCSS('cursor', 'not-allowed');
  await expect(points).not.toHaveCSS('background-color', 'rgb(255, 255, 255)');
  await expect(form.getByLabel('Trial tier for new members', { exact: true })).toBeDisabled();
  await expect(form.getByRole('button', { name: 'Save' })).toHaveCount(0);
  await snap(staff, 'tasks-staff-disabled');
  await staff.close();

  await login(page, state().owner);
  await seed('POST', '/v1/coupon-templates', { code: 'RO-E2E', name: 'Read-only look', kind: 'amount', amountCents: 300, validDays: 7 });
  await page.goto(at('/coupons'));
  await page.getByRole('button', { name: 'Edit RO-E2E' }).click();
  const code = page.getByRole('form', { name: 'Edit RO-E2E' }).getByLabel('Code');
  await expect(code).toHaveAttribute('readonly', '');
  await expect(code).toHaveCSS('cursor', 'not-allowed');
  await expect(page.getByRole('form', { name: 'Edit RO-E2E' })).toContainText('Fixed once created');
});

test('the catalogue pages say what to do when a list is empty', async ({ page }) => {
  await login(page, state().owner);
  await page.goto(at('/audit?kind=webhook&action=webhook.delivery_replayed'));
  await expect(page.getByTestId('empty-state')).toContainText('No entries match these filters');
  await page.goto(at('/campaigns'));
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  // A campaign without applications yet says where they come from.
  await seed('POST', '/v1/campaigns', { code: 'empty-apps', name: 'Nobody yet', kind: 'application', startsAt: '2000-01-01T00:00:00Z', endsAt: '9999-01-01T00:00:00Z', seats: 3 });
  await page.reload();
  await page.getByRole('row').filter({ hasText: 'empty-apps' }).getByRole('button', { name: 'Applications' }).click();
  await expect(page.getByRole('region', { name: 'Applications to empty-apps' }).getByTestId('empty-state')).toContainText('No applications yet');
});
