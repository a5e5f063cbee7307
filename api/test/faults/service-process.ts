// The API or the worker as a real child process (`node --import tsx <entry>`, or plain `node`
// for the built `dist/main.js`, as production runs them), so a fault test can kill it with
// SIGKILL (no shutdown hook runs, open transactions are cut by the kernel closing their sockets)
// and start it again with the same environment, or stop it with SIGTERM and see how it exits.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../..');

export interface ServiceProcess {
  /** The last 20,000 characters of stdout and stderr of every start. */
  output(): string;
  /** True while the current process runs. */
  running(): boolean;
  /** Exit code and signal of the last process that ended by itself (not by kill9/stop). */
  crashed(): { code: number | null; signal: string | null } | null;
  /** Exit code and signal of the last process that ended, however it ended. */
  exited(): { code: number | null; signal: string | null } | null;
  /** Sends a signal and returns at once (the process handles it while the test goes on). */
  signal(signal: NodeJS.Signals): void;
  /** Resolves with the exit of the current process (already ended: at once). */
  waitForExit(): Promise<{ code: number | null; signal: string | null }>;
  start(): void;
  /** SIGKILL, resolved once the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful), then SIGKILL after 5 s. */
  stop(): Promise<void>;
}

export type ServiceEntry = 'api/src/main.ts' | 'worker/src/main.ts' | 'worker/test/faults/worker-at.ts' | 'api/dist/main.js' | 'worker/dist/main.js';

export function serviceProcess(entry: ServiceEntry, env: NodeJS.ProcessEnv): ServiceProcess {
  let child: ChildProcess | null = null;
  let out = '';
  let crash: { code: number | null; signal: string | null } | null = null;
  let exit: { code: number | null; signal: string | null } | null = null;
  let exitPromise: Promise<{ code: number | null; signal: string | null }> | null = null;
  const append = (d: Buffer) => (out = (out + d.toString()).slice(-20_000));
  const gone = (p: ChildProcess) => p.exitCode !== null || p.signalCode !== null;
  const end = async (signal: NodeJS.Signals) => {
    const p = child;
    child = null;
    if (!p || gone(p)) return;
    const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
    p.kill(signal);
    if (signal === 'SIGKILL') return exited;
    const timer = setTimeout(() => p.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return {
    output: () => out,
    running: () => child !== null && !gone(child),
    crashed: () => crash,
    exited: () => exit,
    signal(signal) {
      child?.kill(signal);
    },
    waitForExit: () => exitPromise ?? Promise.reject(new Error('not started')),
    start() {
      const args = entry.endsWith('.js') ? ['--enable-source-maps', path.join(root, entry)] : ['--import', 'tsx', path.join(root, entry)];
      const p = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
      p.stdout!.on('data', append);
      p.stderr!.on('data', append);
      exit = null;
      exitPromise = new Promise((resolve) =>
        p.once('exit', (code, signal) => {
          exit = { code, signal };
          if (child === p) crash = { code, signal };
          resolve({ code, signal });
        }),
      );
      child = p;
    },
    kill9: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
  };
}
