// `npm run db:seed`: seeds the demo tenant into DATABASE_URL. The demo key, the demo owner's
// and the platform admin's passwords come from the data directory (see local-secrets.ts), so
// what `npm start` prints keeps working.
import { createDb } from '@unionpoint/db';
import { dataDir, loadLocalSecrets } from '../src/local-secrets.ts';
import { seedDemo } from '../src/seed.ts';

const secrets = loadLocalSecrets(dataDir());
const db = createDb({ max: 2 });
try {
  const result = await seedDemo(db, {
    demoApiKey: secrets.demoApiKey,
    owner: { email: secrets.demoOwnerEmail, password: secrets.demoOwnerPassword },
    staff: { email: secrets.demoStaffEmail, password: secrets.demoStaffPassword },
    viewer: { email: secrets.demoViewerEmail, password: secrets.demoViewerPassword },
    platformAdmin: {
      email: process.env.PLATFORM_ADMIN_EMAIL || secrets.platformAdminEmail,
      password: process.env.PLATFORM_ADMIN_PASSWORD || secrets.platformAdminPassword,
    },
    log: (line) => console.log(`seed: ${line}`),
  });
  console.log(`seed: demo tenant ${result.tenantId} ready${result.tenantCreated ? ' (new)' : ''}`);
} finally {
  await db.close();
}
