// The API or the worker as a real child process (`node --import tsx <entry>`), as production runs
// them, so a fault test can kill it with SIGKILL (no shutdown hook runs, open transactions are
// cut by the kernel closing their sockets) and start it again with the same environment.
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
  start(): void;
  /** SIGKILL, resolved once the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful), then SIGKILL after 5 s. */
  stop(): Promise<void>;
}

export function serviceProcess(entry: 'api/src/main.ts' | 'worker/src/main.ts' | 'worker/test/faults/worker-at.ts', env: NodeJS.ProcessEnv): ServiceProcess {
  let child: ChildProcess | null = null;
  let out = '';
  let crash: { code: number | null; signal: string | null } | null = null;
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
    start() {
      const p = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
      p.stdout!.on('data', append);
      p.stderr!.on('data', append);
      p.once('exit', (code, signal) => {
        if (child === p) crash = { code, signal };
      });
      child = p;
    },
    kill9: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
  };
}
