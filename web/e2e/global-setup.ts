// Starts everything the journeys need and stops it afterwards: the API on a fresh test
// database (api/test/e2e-server.ts) and the built dashboard (`next start`) on free ports.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';

const webDir = path.resolve(__dirname, '..');
const rootDir = path.resolve(webDir, '..');
const require = createRequire(path.join(rootDir, 'package.json'));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function firstJsonLine(child: ChildProcess, timeoutMs: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`API did not start in ${timeoutMs} ms`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      const line = buf.split('\n').find((l) => l.startsWith('{"ready"'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line));
      }
    });
    child.once('exit', (code) => reject(new Error(`API exited with ${code}`)));
  });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const r = await fetch(url, { redirect: 'manual' });
      if (r.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer in ${timeoutMs} ms`);
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export default async function globalSetup() {
  if (!existsSync(path.join(webDir, '.next', 'BUILD_ID'))) throw new Error('Build the dashboard first: npm run build -w @unionpoint/web');
  const tsx = require.resolve('tsx/cli');
  const api = spawn(process.execPath, [tsx, path.join(rootDir, 'api/test/e2e-server.ts')], {
    cwd: rootDir,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'test' },
  });
  let web: ChildProcess | undefined;
  try {
    const state = await firstJsonLine(api, 120_000);
    const port = await freePort();
    const next = require.resolve('next/dist/bin/next', { paths: [webDir] });
    web = spawn(process.execPath, [next, 'start', '-p', String(port), '-H', '127.0.0.1'], {
      cwd: webDir,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, API_URL: String(state.url), NODE_ENV: 'production' },
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${baseUrl}/login`, 60_000);
    process.env.E2E_BASE_URL = baseUrl;
    process.env.E2E_STATE = JSON.stringify(state);
  } catch (error) {
    await Promise.all([stop(web), stop(api)]);
    throw error;
  }
  return async () => {
    await Promise.all([stop(web), stop(api)]);
  };
}
