// Writes src/generated/ from the API's own OpenAPI document: the types (openapi-typescript) and
// the operation table (method, path, whether it writes) the client turns into methods. Run:
// npm run gen -w @unionpoint/sdk (sdk/test/generated.test.ts fails when the files are stale).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generatedSources } from './sources.mts';

for (const { file, content } of await generatedSources()) {
  writeFileSync(fileURLToPath(file), content);
  console.log(`wrote ${fileURLToPath(file)}`);
}
process.exit(0);
