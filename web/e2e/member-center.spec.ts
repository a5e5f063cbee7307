// The member center at 390 px, in zh-CN (the tenant's language) and en: opened from a member
// session's centerUrl (token in the fragment), first screen from GET /v1/me, no sideways
// scroll on any page, check-in, an exchange in the points mall, the progress bar matching the
// API, the token gone from the address bar and no Referer.
import { expect, test, type Page } from '@playwright/test';
import { at, seed, snap, state } from './fixtures';

async function openCenter(page: Page, unionId: string) {
  await seed('POST', '/v1/members', { unionId });
  await seed('POST', `/v1/members/${unionId}/points/adjust`, { delta: 1500, reason: 'welcome', reference: `${unionId}-welcome` });
  const session = (await seed('POST', `/v1/members/${unionId}/sessions`, { ttlSeconds: 3600 })) as { token: string; centerUrl: string };
  const tenantId = new URL(session.centerUrl).pathname.split('/').pop()!;
  await page.setViewportSize({ width: 390, height: 844 });
  const response = await page.goto(at(`/m/${tenantId}#token=${session.token}`));
  expect(response!.headers()['referrer-policy']).toBe('no-referrer');
  expect(response!.headers()['content-security-policy']).toContain("frame-ancestors 'self'");
  await expect(page.getByTestId('tier-card')).toBeVisible();
  return { token: session.token, tenantId };
}

async function me(token: string) {
  const r = await fetch(`${state().url}/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
  expect(r.status).toBe(200);
  return (await r.json()) as { progress: { current: number; nextTier: { threshold: number; name: string } | null }; member: { points: { balance: number } } };
}

async function noSidewaysScroll(page: Page, where: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${where} scrolls sideways at 390 px`).toBe(0);
}

test('zh-CN: home from one call, check-in, an exchange, every page fits 390 px', async ({ page }) => {
  const code = `tote-${Date.now().toString(36)}`;
  await seed('POST', '/v1/rewards', { code, name: '帆布袋', pointsCost: 500, stock: 10 });
  const meCalls: string[] = [];
  const leaks: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/v1/me') meCalls.push(r.url());
    // The token is never in a URL (the fragment is not sent), and no request carries a Referer.
    if (new URL(r.url()).search.includes('upm_') || new URL(r.url()).pathname.includes('upm_')) leaks.push(`token in ${r.url()}`);
    if (r.headers()['referer']) leaks.push(`referer on ${r.url()}`);
  });
  const { token } = await openCenter(page, `center-zh-${Date.now().toString(36)}`);
  expect(page.url()).not.toContain('token=');
  expect(meCalls).toHaveLength(1);

  // The progress bar is the API's progress, in the model's unit.
  const api = await me(token);
  const bar = page.getByTestId('progress-bar');
  await expect(bar).toHaveAttribute('aria-valuenow', String(api.progress.current));
  await expect(bar).toHaveAttribute('aria-valuemax', String(api.progress.nextTier!.threshold));
  await expect(page.getByTestId('progress-text')).toContainText(`升级${api.progress.nextTier!.name}`);
  await expect(page.getByTestId('points-balance')).toContainText('1,500 积分');
  await noSidewaysScroll(page, 'home');
  await snap(page, 'member-center-home-zh-390');

  await page.getByRole('button', { name: '签到' }).click();
  await expect(page.getByTestId('check-in-result')).toContainText('签到成功');
  await expect(page.getByText('今日已签到')).toBeVisible();

  for (const [tab, name] of [
    ['权益', 'benefits'],
    ['任务', 'tasks'],
  ] as const) {
    await page.getByRole('navigation').getByRole('button', { name: tab }).click();
    await noSidewaysScroll(page, name);
    await snap(page, `member-center-${name}-zh-390`);
  }
  await page.getByRole('navigation').getByRole('button', { name: '积分商城' }).click();
  const card = page.locator('li', { hasText: '帆布袋' });
  await card.getByRole('button', { name: '兑换' }).click();
  await expect(page.getByRole('dialog')).toContainText('确认用 500 积分兑换「帆布袋」');
  await page.getByRole('button', { name: '确认兑换' }).click();
  await expect(page.getByTestId('exchange-result')).toContainText('已兑换「帆布袋」');
  const after = await me(token);
  await expect(page.getByTestId('mall-balance')).toContainText(`${after.member.points.balance.toLocaleString('en-US')} 积分`);
  expect(after.member.points.balance).toBe(api.member.points.balance - 500 + (await checkInPoints(token)));
  await noSidewaysScroll(page, 'mall');
  await snap(page, 'member-center-mall-zh-390');

  await page.getByRole('navigation').getByRole('button', { name: '我的' }).click();
  await expect(page.getByTestId('points-history')).toContainText('积分商城兑换');
  await expect(page.getByTestId('points-history')).toContainText('签到');
  await noSidewaysScroll(page, 'mine');
  await snap(page, 'member-center-mine-zh-390');
  expect(leaks).toEqual([]);
});

async function checkInPoints(token: string): Promise<number> {
  const r = await fetch(`${state().url}/v1/me/ledger?limit=50`, { headers: { Authorization: `Bearer ${token}` } });
  const { data } = (await r.json()) as { data: { kind: string; delta: number }[] };
  return data.filter((e) => e.kind === 'check_in').reduce((s, e) => s + e.delta, 0);
}

test('en: the same center in English at 390 px', async ({ page }) => {
  const { token } = await openCenter(page, `center-en-${Date.now().toString(36)}`);
  await page.getByRole('button', { name: 'English' }).click();
  const api = await me(token);
  await expect(page.getByTestId('progress-text')).toContainText(`to reach ${api.progress.nextTier!.name}`);
  await expect(page.getByTestId('points-balance')).toContainText('1,500 points');
  await page.getByRole('button', { name: 'Check in' }).click();
  await expect(page.getByTestId('check-in-result')).toContainText('Checked in');
  await noSidewaysScroll(page, 'home (en)');
  await snap(page, 'member-center-home-en-390');
  for (const tab of ['Benefits', 'Tasks', 'Points mall', 'Mine']) {
    await page.getByRole('navigation').getByRole('button', { name: tab }).click();
    await noSidewaysScroll(page, `${tab} (en)`);
    await snap(page, `member-center-${tab.toLowerCase().replace(' ', '-')}-en-390`);
  }
  await expect(page.getByTestId('points-history')).toContainText('Check-in');
});

test('an upgrade is celebrated once, in zh-CN and en, at 390 px', async ({ page }) => {
  const unionId = `center-up-${Date.now().toString(36)}`;
  await seed('POST', '/v1/members', { unionId });
  await seed('POST', `/v1/members/${unionId}/tier`, { tierCode: 'gold', reason: 'VIP' });
  const session = (await seed('POST', `/v1/members/${unionId}/sessions`, { ttlSeconds: 3600 })) as { token: string; centerUrl: string };
  const tenantId = new URL(session.centerUrl).pathname.split('/').pop()!;
  // The server knows the member has not seen it once its message is published.
  await expect
    .poll(async () => {
      const r = await fetch(`${state().url}/v1/me`, { headers: { Authorization: `Bearer ${session.token}` } });
      return ((await r.json()) as { celebration: { tier: { code: string } } | null }).celebration?.tier.code ?? null;
    })
    .toBe('gold');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(at(`/m/${tenantId}#token=${session.token}`));
  const card = page.getByTestId('celebration');
  await expect(card).toContainText('恭喜升级Gold！');
  await expect(card).toContainText('您已从Bronze升级为Gold，新权益已生效。');
  await noSidewaysScroll(page, 'celebration');
  // Its entrance has finished (finite animations are run to their end for the picture).
  await page.screenshot({ path: 'test-results/screens/member-center-celebration-zh-390.png', fullPage: true, animations: 'disabled' });
  // Benefit tiles carry an icon each, not a dot.
  const tiles = page.getByTestId('benefits').locator('li');
  expect(await tiles.count()).toBeGreaterThan(0);
  expect(await page.getByTestId('benefits').locator('li svg[data-icon]').count()).toBe(await tiles.count());
  await page.getByRole('button', { name: 'English' }).click();
  await expect(card).toContainText('You reached Gold!');
  await page.screenshot({ path: 'test-results/screens/member-center-celebration-en-390.png', fullPage: true, animations: 'disabled' });
  // Once shown, its message is read: the API no longer names it, and a reload shows no card.
  await expect
    .poll(async () => {
      const r = await fetch(`${state().url}/v1/me`, { headers: { Authorization: `Bearer ${session.token}` } });
      return ((await r.json()) as { celebration: unknown }).celebration;
    })
    .toBeNull();
  await card.getByRole('button', { name: 'See my benefits' }).click();
  await expect(page.getByTestId('celebration')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('tier-card')).toBeVisible();
  await expect(page.getByTestId('celebration')).toHaveCount(0);
});
