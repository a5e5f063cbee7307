import { dropStaleTestDatabases, ensureTemplateDatabase } from '../src/testing.ts';

/** Builds the migrations template once per run, before any test file clones it. */
export default async function setup(): Promise<void> {
  await dropStaleTestDatabases();
  await ensureTemplateDatabase();
}
