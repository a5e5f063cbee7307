// `npm start` for real: the start script with DATABASE_URL and REDIS_URL unset, in a fresh data
// directory. It must bring up embedded Postgres, Redis, migrations, the seed and the API, print
// a demo key that works, stop every process it started on Ctrl-C (SIGINT), and reuse the data
// on a second start. The dashboard build is skipped (UNIONPOINT_SKIP_WEB=1) to keep it short.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
let dataDir: string;
let apiPort: number;
const started: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Live descendants of `pid` (zombies count as gone), from /proc. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      const ppid = Number(fields[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we read.
    }
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    for (const child of parents.get(queue.shift()!) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

function isLive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Processes whose command line mentions the data directory (postgres -D <dir>/pg, redis). */
function processesUsing(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(dir) && isLive(Number(entry))) found.push(Number(entry));
    } catch {
      // gone
    }
  }
  return found;
}

interface Running {
  child: ChildProcess;
  output: () => string;
  demoKey: string;
}

async function start(): Promise<Running> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    UNIONPOINT_DATA_DIR: dataDir,
    UNIONPOINT_SKIP_WEB: '1',
    PORT: String(apiPort),
    WEB_PORT: String(await freePort()),
  };
  for (const name of [
    'DATABASE_URL',
    'REDIS_URL',
    'TEST_DATABASE_URL',
    'SESSION_SECRET',
    'PLATFORM_API_KEY',
    'PLATFORM_ADMIN_EMAIL',
    'PLATFORM_ADMIN_PASSWORD',
  ])
    delete env[name];
  const child = spawn(process.execPath, [path.join(root, 'infra', 'scripts', 'start.mjs')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  child.stdout!.on('data', (b) => (output += b));
  child.stderr!.on('data', (b) => (output += b));
  const demoKey = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const m = /Demo API key\s+(up_[1-9A-HJ-NP-Za-km-z]+)/.exec(output);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before printing the demo key:\n${output}`)));
  });
  return { child, output: () => output, demoKey };
}

async function stop(run: Running): Promise<{ code: number | null; leftovers: number[] }> {
  const tree = descendants(run.child.pid!);
  expect(tree.length).toBeGreaterThan(3);
  const exited = new Promise<number | null>((resolve) => run.child.once('exit', (code) => resolve(code)));
  run.child.kill('SIGINT');
  const code = await exited;
  // Orphans are reaped asynchronously; allow them a moment to disappear.
  let leftovers = tree.filter(isLive);
  for (let i = 0; i < 50 && leftovers.length; i++) {
    await new Promise((r) => setTimeout(r, 100));
    leftovers = tree.filter(isLive);
  }
  return { code, leftovers };
}

async function members(key: string) {
  const res = await fetch(`http://127.0.0.1:${apiPort}/v1/members?limit=200`, { headers: { Authorization: `Bearer ${key}` } });
  return { status: res.status, body: (await res.json()) as { data: { unionId: string; tier: { name: string } }[] } };
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'unionpoint-start-'));
  chmodSync(dataDir, 0o755);
  apiPort = await freePort();
});

afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (dataDir && processesUsing(dataDir).length === 0) rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it(
    'starts the stack on embedded services, serves the demo key, stops everything on Ctrl-C and restarts on the same data',
    { timeout: 420_000 },
    async () => {
      const first = await start();
      expect(first.output()).toContain('embedded Postgres');
      expect(first.output()).toContain('private-network receivers allowed (WEBHOOK_ALLOW_PRIVATE_NETWORKS=true)');
      expect(existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
      const list = await members(first.demoKey);
      expect(list.status).toBe(200);
      expect(list.body.data).toHaveLength(50);
      expect(list.body.data.map((m) => m.unionId)).toContain('demo-001');
      // The demo ladder's names (newest members first; some have already moved up).
      expect(new Set(list.body.data.map((m) => m.tier.name))).toEqual(new Set(['铜牌', '银牌', '金牌', '钻石']));
      const noKey = await fetch(`http://127.0.0.1:${apiPort}/v1/members`);
      expect(noKey.status).toBe(401);

      const firstStop = await stop(first);
      expect(firstStop.code).toBe(0);
      expect(firstStop.leftovers).toEqual([]);
      expect(processesUsing(dataDir)).toEqual([]);
      await expect(fetch(`http://127.0.0.1:${apiPort}/healthz`)).rejects.toThrow();

      // Same data directory: the cluster is reused, the key is the same and still works, the
      // seed added nothing.
      const second = await start();
      expect(second.demoKey).toBe(first.demoKey);
      expect(second.output()).not.toContain('created tenant');
      const again = await members(second.demoKey);
      expect(again.status).toBe(200);
      expect(again.body.data).toHaveLength(50);
      const secondStop = await stop(second);
      expect(secondStop.code).toBe(0);
      expect(secondStop.leftovers).toEqual([]);
      expect(processesUsing(dataDir)).toEqual([]);
    },
  );
});
