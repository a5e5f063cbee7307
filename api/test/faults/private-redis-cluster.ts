// A private Redis Cluster for tests: three masters started from the machine's `redis-server`
// in cluster mode, each on a free port (and a free cluster-bus port) with its own folder in a
// temp dir, joined by `redis-cli --cluster create`. Each node keeps an append-only file synced
// on every write, so a node stopped (SIGTERM) and started again with the same nodes.conf comes
// back with its slots and its data: a failover-free restart. stop() (in afterAll) kills every
// node and removes the dir; the shared Redis is never touched.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './private-redis.ts';

const run = promisify(execFile);

export interface ClusterNodeHandle {
  port: number;
  /** SIGTERM (Redis saves and exits) and wait for the exit. */
  stop(): Promise<void>;
  /** Start again with the same folder, nodes.conf and append-only file. */
  start(): Promise<void>;
}

export interface PrivateRedisCluster {
  nodes: ClusterNodeHandle[];
  /** REDIS_CLUSTER_NODES for this cluster: `127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3`. */
  seeds: string;
  /** `redis-cli -p <port> <args…>` on one node; its stdout. */
  cli(port: number, ...args: string[]): Promise<string>;
  /** Resolves once every node reports cluster_state:ok and knows all masters. */
  waitHealthy(timeoutMs?: number): Promise<void>;
  /** The node serving `key`'s slot. */
  nodeFor(key: string): Promise<ClusterNodeHandle>;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Two free ports that are not the same (the node's and its cluster bus's). */
async function portPair(taken: Set<number>): Promise<[number, number]> {
  const pick = async () => {
    for (;;) {
      const p = await freePort();
      if (!taken.has(p)) {
        taken.add(p);
        return p;
      }
    }
  };
  return [await pick(), await pick()];
}

export async function startPrivateRedisCluster(masters = 3): Promise<PrivateRedisCluster> {
  const root = mkdtempSync(path.join(tmpdir(), 'up-redis-cluster-'));
  const taken = new Set<number>();
  const cli = async (port: number, ...args: string[]) => (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args])).stdout;

  const waitPing = async (port: number, timeoutMs = 10_000) => {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if ((await cli(port, 'PING').catch(() => '')).trim() === 'PONG') return;
      await sleep(50);
    }
    throw new Error(`redis-server on ${port} did not start`);
  };

  const nodes: ClusterNodeHandle[] = [];
  for (let i = 0; i < masters; i++) {
    const [port, busPort] = await portPair(taken);
    const dir = path.join(root, `node-${i}`);
    mkdirSync(dir);
    let child: ChildProcess | null = null;
    const args = [
      '--port', String(port),
      '--cluster-port', String(busPort),
      '--bind', '127.0.0.1',
      '--cluster-enabled', 'yes',
      '--cluster-config-file', 'nodes.conf',
      '--cluster-node-timeout', '5000',
      '--appendonly', 'yes',
      '--appendfsync', 'always',
      '--save', '',
      '--dir', dir,
      '--daemonize', 'no',
      '--loglevel', 'warning',
    ];
    const node: ClusterNodeHandle = {
      port,
      async start() {
        const p = spawn('redis-server', args, { stdio: 'ignore' });
        live.add(p);
        p.once('exit', () => live.delete(p));
        child = p;
        await waitPing(port);
      },
      async stop() {
        const p = child;
        child = null;
        if (!p || p.exitCode !== null || p.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
        p.kill('SIGTERM');
        await exited;
      },
    };
    await node.start();
    nodes.push(node);
  }

  const cluster: PrivateRedisCluster = {
    nodes,
    seeds: nodes.map((n) => `127.0.0.1:${n.port}`).join(','),
    cli,
    async waitHealthy(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const states = await Promise.all(
          nodes.map(async (n) => {
            const info = await cli(n.port, 'CLUSTER', 'INFO').catch(() => '');
            return /cluster_state:ok/.test(info) && new RegExp(`cluster_known_nodes:${masters}\\b`).test(info);
          }),
        );
        if (states.every(Boolean)) return;
        await sleep(100);
      }
      throw new Error('the Redis Cluster did not become healthy');
    },
    async nodeFor(key: string) {
      const slot = Number((await cli(nodes[0]!.port, 'CLUSTER', 'KEYSLOT', key)).trim());
      // CLUSTER NODES: `<id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <link> <slots…>`.
      for (const line of (await cli(nodes[0]!.port, 'CLUSTER', 'NODES')).split('\n')) {
        const f = line.trim().split(/\s+/);
        if (f.length < 9 || !f[2]!.includes('master')) continue;
        const port = Number(f[1]!.split('@')[0]!.split(':')[1]);
        const serves = f.slice(8).some((r) => {
          const [a, b = a] = r.split('-').map(Number);
          return slot >= a! && slot <= b!;
        });
        const node = nodes.find((n) => n.port === port);
        if (serves && node) return node;
      }
      throw new Error(`no node serves slot ${slot}`);
    },
    async stop() {
      await Promise.allSettled(nodes.map((n) => n.stop()));
      rmSync(root, { recursive: true, force: true });
    },
  };

  try {
    await run('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes']);
    await cluster.waitHealthy();
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}
