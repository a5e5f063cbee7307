import type { ReactNode } from 'react';
import { requireRole } from '@/lib/server';

// Users are the owner's (the API refuses everyone else too).
export default async function UsersLayout({ children }: { children: ReactNode }) {
  await requireRole(['owner']);
  return <>{children}</>;
}
