#!/usr/bin/env node
// `npm run api` / `npm run worker`. With NODE_ENV=production it runs the built JavaScript
// (`npm run build` → api/dist/main.js, worker/dist/main.js) in this process, so plain `node`
// serves production and the container's SIGTERM reaches the service's own shutdown hook. In any
// other environment it runs the TypeScript sources through tsx, as the tests and `npm start` do.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const name = process.argv[2];
if (name !== 'api' && name !== 'worker') {
  console.error('usage: node infra/scripts/service.mjs api|worker');
  process.exit(2);
}

if (process.env.NODE_ENV === 'production') {
  const built = path.join(root, name, 'dist', 'main.js');
  if (!existsSync(built)) {
    console.error(`${path.relative(root, built)} is missing: run \`npm run build\` first (NODE_ENV=production runs the build).`);
    process.exit(1);
  }
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(path.join(root, name, 'src', 'main.ts')).href);
}
