// Secrets of a local `npm start`, generated once and kept in the data directory (gitignored),
// so that the printed logins and the demo API key stay valid from one start to the next.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateApiKey } from '@unionpoint/core/auth';

export interface LocalSecrets {
  postgresPassword: string;
  sessionSecret: string;
  platformApiKey: string;
  platformAdminEmail: string;
  platformAdminPassword: string;
  demoOwnerEmail: string;
  demoOwnerPassword: string;
  demoStaffEmail: string;
  demoStaffPassword: string;
  demoViewerEmail: string;
  demoViewerPassword: string;
  /** A tenant key of the demo tenant; the seed stores its hash. */
  demoApiKey: string;
}

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** UNIONPOINT_DATA_DIR, else .data at the repository root. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(REPO_ROOT, env.UNIONPOINT_DATA_DIR || '.data');
}

const password = () => randomBytes(12).toString('base64url');

function generate(): LocalSecrets {
  return {
    postgresPassword: randomBytes(18).toString('base64url'),
    sessionSecret: randomBytes(32).toString('hex'),
    platformApiKey: `upp_${randomBytes(24).toString('base64url')}`,
    platformAdminEmail: 'admin@unionpoint.test',
    platformAdminPassword: password(),
    demoOwnerEmail: 'owner@demo-mall.test',
    demoOwnerPassword: password(),
    demoStaffEmail: 'staff@demo-mall.test',
    demoStaffPassword: password(),
    demoViewerEmail: 'viewer@demo-mall.test',
    demoViewerPassword: password(),
    demoApiKey: generateApiKey().key,
  };
}

/** Reads `<dir>/secrets.json`, filling in (and saving) any value that is missing. */
export function loadLocalSecrets(dir: string = dataDir()): LocalSecrets {
  const file = path.join(dir, 'secrets.json');
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets>) : {};
  const fresh = generate();
  const secrets = { ...fresh } as LocalSecrets;
  let changed = false;
  for (const key of Object.keys(fresh) as (keyof LocalSecrets)[]) {
    const value = stored[key];
    if (typeof value === 'string' && value) secrets[key] = value;
    else changed = true;
  }
  if (changed) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return secrets;
}
