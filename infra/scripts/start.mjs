#!/usr/bin/env node
// `npm start`. Plain JavaScript because it runs before dependencies exist: installs them when
// node_modules is missing or does not match package-lock.json (npm ci), regenerates the Prisma
// client when a schema file is newer, then runs the local stack (stack.ts) in this process.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  console.error(`Unionpoint needs Node.js 20 or newer (this is ${process.version}).`);
  process.exit(1);
}

/** Why the install is out of date, or null when node_modules matches the lockfile. */
function staleInstall() {
  const hidden = path.join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(hidden)) return 'node_modules is missing';
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')).packages ?? {};
  const installed = JSON.parse(readFileSync(hidden, 'utf8')).packages ?? {};
  for (const [key, meta] of Object.entries(lock)) {
    // Optional packages for other platforms are never installed; skip them.
    if (!key.includes('node_modules/') || meta.optional || meta.devOptional) continue;
    const have = installed[key];
    if (!have) return `${key} is not installed`;
    if (meta.link ? have.resolved !== meta.resolved : have.version !== meta.version) return `${key} changed`;
  }
  return null;
}

function newestMtime(dir) {
  let newest = 0;
  for (const name of readdirSync(dir)) newest = Math.max(newest, statSync(path.join(dir, name)).mtimeMs);
  return newest;
}

function run(args, what) {
  console.log(`› ${what}: npm ${args.join(' ')}`);
  const r = spawnSync(npm, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`${what} failed (exit ${r.status ?? r.signal}).`);
    process.exit(1);
  }
}

const stale = staleInstall();
if (stale) run(['ci'], `installing dependencies (${stale})`);

const client = path.join(root, 'prisma', 'src', 'generated', 'prisma', 'client.ts');
if (!existsSync(client) || newestMtime(path.join(root, 'prisma', 'schema')) > statSync(client).mtimeMs) {
  run(['run', 'generate', '-w', '@unionpoint/db'], 'generating the Prisma client');
}

const { register } = await import('tsx/esm/api');
register();
await import(pathToFileURL(path.join(root, 'infra', 'scripts', 'stack.ts')).href);
