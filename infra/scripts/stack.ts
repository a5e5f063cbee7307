// The local stack behind `npm start` (start.mjs installs dependencies, then runs this):
// Postgres (embedded unless DATABASE_URL is set), Redis (a local redis-server unless REDIS_URL
// is set; none at all if there is no redis-server, then the worker uses its Postgres backend),
// migrations, the demo seed, then API, worker and web. Every service runs in its own process
// group so Ctrl-C stops them in order: web, worker, API, then Redis, then Postgres.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { dataDir, loadLocalSecrets, REPO_ROOT } from '../src/local-secrets.ts';

const env = process.env;
const root = REPO_ROOT;
const data = dataDir(env);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const verbose = env.UNIONPOINT_VERBOSE === '1';
const skipWeb = env.UNIONPOINT_SKIP_WEB === '1';

interface Service {
  name: string;
  child: ChildProcess;
  exited: Promise<void>;
}
const services: Service[] = [];
let stopping = false;

const COLORS: Record<string, string> = {
  postgres: '34',
  redis: '31',
  api: '32',
  worker: '35',
  web: '36',
  migrate: '33',
  seed: '33',
  build: '33',
};
const tag = (name: string) => (process.stdout.isTTY ? `\x1b[${COLORS[name] ?? '0'}m${name.padEnd(8)}\x1b[0m│ ` : `${name.padEnd(8)}│ `);

function pipeOutput(name: string, child: ChildProcess, quiet = false) {
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      if (!quiet || verbose) process.stdout.write(tag(name) + line + '\n');
    });
  }
}

/** Starts a long-running service in its own process group (so a signal reaches all of it). */
function startService(
  name: string,
  command: string,
  args: string[],
  extraEnv: NodeJS.ProcessEnv,
  opts: { ipc?: boolean; quiet?: boolean } = {},
): Service {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...env, ...extraEnv },
    detached: true,
    stdio: opts.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  pipeOutput(name, child, opts.quiet);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const service = { name, child, exited };
  services.push(service);
  child.once('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything.`);
      void shutdown(1);
    }
  });
  return service;
}

/** Runs a one-shot step to completion (migrate, seed, build); output shown on failure. */
async function runStep(name: string, args: string[], extraEnv: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(npm, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on('line', (line) => {
      lines.push(line);
      if (verbose || /^seed: /.test(line)) process.stdout.write(tag(name) + line + '\n');
    });
  }
  const current = { name, child, exited: new Promise<void>((r) => child.once('exit', () => r())) };
  services.push(current);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  services.splice(services.indexOf(current), 1);
  if (stopping) return new Promise(() => {});
  if (code !== 0) {
    if (!verbose) for (const line of lines.slice(-40)) process.stdout.write(tag(name) + line + '\n');
    throw new Error(`${name} failed (exit ${code})`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(service: Service, signal: NodeJS.Signals) {
  const pid = service.child.pid;
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** SIGTERM to the service's group, SIGKILL after `graceMs`; resolves when it has exited. */
async function stopService(service: Service, graceMs = 10_000) {
  if (service.child.exitCode !== null || service.child.signalCode !== null) {
    signalGroup(service, 'SIGTERM'); // stragglers of an exited leader
    return;
  }
  signalGroup(service, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(service, 'SIGKILL'), graceMs);
  await service.exited;
  clearTimeout(timer);
  // Processes left in the group after its leader exited (grandchildren) get a short grace.
  const pid = service.child.pid!;
  for (let i = 0; i < 20 && groupAlive(pid); i++) await sleep(100);
  if (groupAlive(pid)) signalGroup(service, 'SIGKILL');
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function shutdown(code: number): Promise<never> {
  if (stopping) return new Promise(() => {});
  stopping = true;
  console.log('\nStopping…');
  const order = ['web', 'worker', 'api', 'migrate', 'seed', 'build', 'redis', 'postgres'];
  const sorted = [...services].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  // The app services stop together; Redis and Postgres only after all of them.
  const apps = sorted.filter((s) => s.name !== 'redis' && s.name !== 'postgres');
  await Promise.all(apps.map((s) => stopService(s)));
  for (const s of sorted.filter((s) => s.name === 'redis' || s.name === 'postgres')) await stopService(s, 20_000);
  console.log('Stopped.');
  process.exit(code);
}

// Last resort if this process dies without the orderly shutdown: take the groups with us.
process.on('exit', () => {
  for (const s of services) if (s.child.pid && alive(s.child.pid)) signalGroup(s, 'SIGTERM');
});
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

/** The pid in <dir>/postmaster.pid when that process is still alive (Postgres removes the file on a clean stop). */
function livePostmaster(pgDir: string): number | null {
  const file = path.join(pgDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return null;
  // After a reboot the pid may belong to something else.
  const cmdline = `/proc/${pid}/cmdline`;
  return !existsSync(cmdline) || readFileSync(cmdline, 'utf8').includes('postgres') ? pid : null;
}

/** A path relative to the repository when it is inside it. */
const shown = (p: string) => (p.startsWith(root + path.sep) ? path.relative(root, p) : p);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0' }, () => server.close(() => resolve(true)));
  });
}

async function freePort(preferred?: number): Promise<number> {
  if (preferred && (await portFree(preferred))) return preferred;
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves true once `check` does, false when `service` exits first; throws on timeout. */
async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, service?: Service): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) return new Promise(() => {});
    if (service && (service.child.exitCode !== null || service.child.signalCode !== null))
      throw new Error(`${service.name} exited before ${what}`);
    if (await check().catch(() => false)) return;
    await sleep(300);
  }
  throw new Error(`Timed out waiting for ${what}`);
}

function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.setTimeout(1000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (buf) => {
      resolve(buf.toString().startsWith('+PONG'));
      socket.destroy();
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      resolve(false);
      socket.destroy();
    });
  });
}

async function httpOk(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await res.arrayBuffer();
  return res.ok;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** True when web/.next has no production build, or a source file is newer than it. */
function webBuildNeeded(): boolean {
  const buildId = path.join(root, 'web', '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const sources = ['src', 'public', 'package.json', 'next.config.ts', 'postcss.config.mjs']
    .map((p) => path.join(root, 'web', p))
    .filter(existsSync)
    .map((p) => (statSync(p).isDirectory() ? newestMtime(p) : statSync(p).mtimeMs));
  return Math.max(0, ...sources) > built;
}

async function main() {
  mkdirSync(data, { recursive: true });
  const secrets = loadLocalSecrets(data);
  const serviceEnv: NodeJS.ProcessEnv = {
    SESSION_SECRET: env.SESSION_SECRET || secrets.sessionSecret,
    PLATFORM_API_KEY: env.PLATFORM_API_KEY || secrets.platformApiKey,
    PLATFORM_ADMIN_EMAIL: env.PLATFORM_ADMIN_EMAIL || secrets.platformAdminEmail,
    PLATFORM_ADMIN_PASSWORD: env.PLATFORM_ADMIN_PASSWORD || secrets.platformAdminPassword,
    // Plain-HTTP localhost: a Secure session cookie would not be sent back by every browser.
    COOKIE_SECURE: env.COOKIE_SECURE || 'false',
    // The dashboard's /v1 forwarder runs on this host and sends the client's X-Forwarded-For:
    // the login limit counts per browser, not per dashboard.
    TRUST_PROXY: env.TRUST_PROXY || 'loopback',
    // Not production: the local stack's webhooks may target this machine (a receiver on
    // localhost), which WEBHOOK_ALLOW_PRIVATE_NETWORKS allows and production refuses.
    NODE_ENV: env.NODE_ENV || 'development',
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS || (env.NODE_ENV === 'production' ? 'false' : 'true'),
  };

  // Postgres
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const pgDir = path.join(data, 'pg');
    if (process.getuid?.() === 0) {
      // Postgres runs as the `postgres` system user, which must be able to reach the data dir.
      chmodSync(data, 0o755);
    }
    const stale = livePostmaster(pgDir);
    if (stale)
      throw new Error(
        `a Postgres from an earlier start still runs on ${shown(pgDir)} (pid ${stale}); stop it (kill ${stale}) and start again`,
      );
    const port = await freePort(Number(env.UNIONPOINT_PG_PORT) || undefined);
    const pg = startService(
      'postgres',
      process.execPath,
      ['--import', 'tsx', path.join(root, 'infra', 'scripts', 'embedded-postgres.ts')],
      {
        PG_DATA_DIR: pgDir,
        PG_PORT: String(port),
        PG_PASSWORD: secrets.postgresPassword,
        PG_DATABASE: 'unionpoint',
      },
      { ipc: true },
    );
    console.log(`› starting embedded Postgres 17 on port ${port} (data in ${shown(pgDir)})`);
    await new Promise<void>((resolve, reject) => {
      pg.child.once('message', () => resolve());
      pg.child.once('exit', () => reject(new Error('embedded Postgres did not start')));
    });
    databaseUrl = `postgresql://postgres:${encodeURIComponent(secrets.postgresPassword)}@127.0.0.1:${port}/unionpoint`;
  } else {
    console.log('› using DATABASE_URL from the environment');
  }
  serviceEnv.DATABASE_URL = databaseUrl;

  // Redis
  let redisUrl = env.REDIS_URL;
  if (!redisUrl) {
    const hasRedis = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
    if (hasRedis) {
      const redisDir = path.join(data, 'redis');
      mkdirSync(redisDir, { recursive: true });
      const port = await freePort(Number(env.UNIONPOINT_REDIS_PORT) || undefined);
      const redis = startService(
        'redis',
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          redisDir,
          '--save',
          '60 1',
          '--appendonly',
          'no',
          '--daemonize',
          'no',
          '--loglevel',
          'warning',
        ],
        {},
        { quiet: true },
      );
      console.log(`› starting redis-server on port ${port} (data in ${shown(redisDir)})`);
      await waitUntil('Redis', () => redisPing(port), 20_000, redis);
      redisUrl = `redis://127.0.0.1:${port}`;
    } else {
      console.log('› no redis-server on PATH: the worker uses its Postgres queue backend');
    }
  } else {
    console.log('› using REDIS_URL from the environment');
  }
  if (redisUrl) serviceEnv.REDIS_URL = redisUrl;
  else delete serviceEnv.REDIS_URL;

  console.log('› applying migrations');
  await runStep('migrate', ['run', 'db:migrate'], { ...serviceEnv, PRISMA_HIDE_UPDATE_MESSAGE: '1' });
  console.log('› seeding the demo tenant');
  await runStep('seed', ['run', '--silent', 'db:seed'], { ...serviceEnv, UNIONPOINT_DATA_DIR: data });

  const apiPort = Number(env.PORT) || (await freePort(4000));
  const webPort = Number(env.WEB_PORT) || (await freePort(3000));
  const apiUrl = `http://localhost:${apiPort}`;
  const webUrl = `http://localhost:${webPort}`;

  if (!skipWeb && webBuildNeeded()) {
    console.log('› building the dashboard (first start only; takes a minute)');
    await runStep('build', ['run', 'build', '-w', '@unionpoint/web'], { ...serviceEnv, API_URL: apiUrl, NODE_ENV: 'production' });
  }

  // With NODE_ENV=production, `npm run api|worker` run the built services (dist/main.js): build
  // them first (esbuild, about a second).
  if (serviceEnv.NODE_ENV === 'production') {
    console.log('› building the API and the worker (NODE_ENV=production runs the build)');
    await runStep('build', ['run', 'build', '-w', '@unionpoint/api', '-w', '@unionpoint/worker'], serviceEnv);
  }

  console.log('› starting API, worker' + (skipWeb ? '' : ' and dashboard'));
  const childEnv = (port?: number): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = { ...serviceEnv, API_URL: apiUrl, WEB_PORT: String(webPort), MEMBER_CENTER_URL: env.MEMBER_CENTER_URL || `${webUrl}/m` };
    if (port) e.PORT = String(port);
    if (!redisUrl) e.REDIS_URL = '';
    return e;
  };
  const api = startService('api', npm, ['run', '--silent', 'api'], childEnv(apiPort));
  startService('worker', npm, ['run', '--silent', 'worker'], childEnv());
  const web = skipWeb ? null : startService('web', npm, ['run', '--silent', 'web'], { ...childEnv(), NODE_ENV: 'production' });

  await waitUntil('the API (/readyz)', () => httpOk(`http://127.0.0.1:${apiPort}/readyz`), 120_000, api);
  if (web) await waitUntil('the dashboard', () => httpOk(`http://127.0.0.1:${webPort}/`).then(() => true), 120_000, web);

  const rows: [string, string][] = [
    ['API', apiUrl],
    ['API docs', `${apiUrl}/docs`],
    ['Error codes', `${apiUrl}/docs/errors`],
    ['Dashboard', skipWeb ? '(skipped: UNIONPOINT_SKIP_WEB=1)' : webUrl],
    [
      'Webhooks',
      serviceEnv.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true'
        ? 'private-network receivers allowed (WEBHOOK_ALLOW_PRIVATE_NETWORKS=true): http://localhost:<port>/… works'
        : 'public URLs only (WEBHOOK_ALLOW_PRIVATE_NETWORKS is not true)',
    ],
    ['Demo owner login', `${secrets.demoOwnerEmail} / ${secrets.demoOwnerPassword}`],
    ['Demo staff login', `${secrets.demoStaffEmail} / ${secrets.demoStaffPassword} (flagship store)`],
    ['Demo viewer login', `${secrets.demoViewerEmail} / ${secrets.demoViewerPassword}`],
    ['Platform admin login', `${serviceEnv.PLATFORM_ADMIN_EMAIL} / ${serviceEnv.PLATFORM_ADMIN_PASSWORD}`],
    ['Platform API key', serviceEnv.PLATFORM_API_KEY!],
    ['Demo API key', secrets.demoApiKey],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log('\nUnionpoint is running.\n');
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
  console.log(`\n  Try: curl -H "Authorization: Bearer ${secrets.demoApiKey}" ${apiUrl}/v1/members`);
  console.log(`\n  Data: ${data} (delete it to start over). Press Ctrl-C to stop.\n`);
}

main().catch((error: unknown) => {
  if (stopping) return;
  console.error(`\nnpm start failed: ${error instanceof Error ? error.message : String(error)}`);
  void shutdown(1);
});
