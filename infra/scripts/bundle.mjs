#!/usr/bin/env node
// The production build of the API and the worker (`npm run build`, through each package's
// `build` script): one ES module per service, `api/dist/main.js` and `worker/dist/main.js`,
// started with plain `node`. esbuild compiles the TypeScript of the service and of the workspace
// packages it uses (@unionpoint/core, @unionpoint/db with its generated Prisma client,
// @unionpoint/worker for the API) into that file; every npm package stays an ordinary import
// resolved from node_modules at run time, so native modules (argon2), Prisma's query compiler
// and swagger-ui's assets load as they do under tsx.
//   node infra/scripts/bundle.mjs api|worker [more…]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The services this script builds: entry and output, relative to the repository root. */
export const SERVICES = {
  api: { entry: 'api/src/main.ts', outfile: 'api/dist/main.js' },
  worker: { entry: 'worker/src/main.ts', outfile: 'worker/dist/main.js' },
};

/** Bare imports other than the workspace's own packages stay imports of node_modules. */
const externalNpmPackages = {
  name: 'external-npm-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@unionpoint/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

export async function bundleService(name) {
  const service = SERVICES[name];
  if (!service) throw new Error(`Unknown service ${name}: one of ${Object.keys(SERVICES).join(', ')}`);
  const result = await build({
    absWorkingDir: root,
    entryPoints: [service.entry],
    outfile: service.outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    // Node's stack traces point at the TypeScript sources through the map.
    banner: { js: '// Built by infra/scripts/bundle.mjs: do not edit; run with node --enable-source-maps.' },
    conditions: ['import', 'node'],
    plugins: [externalNpmPackages],
    logLevel: 'warning',
    metafile: true,
  });
  const inputs = Object.keys(result.metafile.inputs).length;
  return { outfile: path.join(root, service.outfile), inputs };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2);
  if (names.length === 0) {
    console.error('usage: node infra/scripts/bundle.mjs api|worker [more…]');
    process.exit(2);
  }
  for (const name of names) {
    const { outfile, inputs } = await bundleService(name);
    console.log(`built ${path.relative(root, outfile)} from ${inputs} source files`);
  }
}
