// Integration tests need a Postgres and a Redis. Use the ones the environment names
// (TEST_DATABASE_URL / DATABASE_URL, REDIS_URL), else the machine's own on the default ports
// when they answer, else start them here: an embedded Postgres in .data/test-pg (kept between
// runs, so the migrations template is reused) and a redis-server from the PATH without
// persistence. So `npm test` works on a machine with only Node and npm. Set
// UNIONPOINT_TEST_SERVICES=embedded to skip the probes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { dataDir, loadLocalSecrets, REPO_ROOT } from '../src/local-secrets.ts';

const started: ChildProcess[] = [];

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

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

async function startPostgres(): Promise<string> {
  const data = dataDir();
  mkdirSync(data, { recursive: true });
  const { postgresPassword } = loadLocalSecrets(data);
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'infra', 'scripts', 'embedded-postgres.ts')], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PG_DATA_DIR: path.join(data, 'test-pg'),
      PG_PORT: String(port),
      PG_PASSWORD: postgresPassword,
      PG_DATABASE: 'postgres',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  started.push(child);
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`embedded Postgres for the tests did not start (exit ${code})`)));
  });
  return `postgresql://postgres:${encodeURIComponent(postgresPassword)}@127.0.0.1:${port}/postgres`;
}

async function startRedis(): Promise<string | null> {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) return null;
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
    {
      stdio: 'ignore',
    },
  );
  started.push(child);
  for (let i = 0; i < 100 && !(await answers(port)); i++) await new Promise((r) => setTimeout(r, 100));
  return `redis://127.0.0.1:${port}`;
}

export async function setup(): Promise<void> {
  const forced = process.env.UNIONPOINT_TEST_SERVICES === 'embedded';
  if (forced || (!process.env.TEST_DATABASE_URL && !process.env.DATABASE_URL && !(await answers(5432)))) {
    delete process.env.DATABASE_URL;
    process.env.TEST_DATABASE_URL = await startPostgres();
  }
  if (forced || (!process.env.REDIS_URL && !(await answers(6379)))) {
    const url = await startRedis();
    if (url) process.env.REDIS_URL = url;
  }
}

export async function teardown(): Promise<void> {
  await Promise.all(
    started.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
}
