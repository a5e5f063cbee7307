// Production server for the dashboard: `next start` on WEB_PORT (default 3000).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const next = require.resolve('next/dist/bin/next');
const port = process.env.WEB_PORT || '3000';
const child = spawn(process.execPath, [next, 'start', '-p', port], { stdio: 'inherit', cwd: new URL('..', import.meta.url).pathname });
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
child.on('exit', (code) => process.exit(code ?? 0));
