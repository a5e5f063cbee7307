import { expect, type Page } from '@playwright/test';

export interface E2EState {
  url: string;
  admin: { email: string; password: string };
  owner: { email: string; password: string };
  staff: { email: string; password: string };
  tenantKey: string;
}

export const state = (): E2EState => JSON.parse(process.env.E2E_STATE ?? '{}') as E2EState;
export const at = (path: string) => `${process.env.E2E_BASE_URL}${path}`;

export async function login(page: Page, who: { email: string; password: string }) {
  await page.goto(at('/login'));
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).not.toHaveURL(/\/login$/);
}

/** A full-page screenshot kept as a test artifact (test-results/, gitignored). */
export async function snap(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}

/** Sets up data for a journey straight through the API with the seeded tenant key. */
export async function seed(method: 'POST' | 'PATCH', path: string, body: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(`${state().url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${state().tenantKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as Record<string, unknown>;
}
