import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generatedSources } from '../scripts/sources.mts';

describe('the generated client', () => {
  it('matches the API’s OpenAPI document (run `npm run gen -w @unionpoint/sdk` when this fails)', { timeout: 60_000 }, async () => {
    for (const { file, content } of await generatedSources()) {
      expect(readFileSync(fileURLToPath(file), 'utf8') === content, `${fileURLToPath(file)} is stale: npm run gen -w @unionpoint/sdk`).toBe(true);
    }
  });
});
