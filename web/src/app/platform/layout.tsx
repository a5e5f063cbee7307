import type { ReactNode } from 'react';
import { getLocale, requireRole } from '@/lib/server';
import { AppProvider } from '@/components/providers';
import { PLATFORM_NAV, Shell } from '@/components/shell';

// Platform console: only a platform_admin session gets here; owners and staff are redirected
// by the server before anything renders (the API refuses them too).
export const dynamic = 'force-dynamic';

export default async function PlatformLayout({ children }: { children: ReactNode }) {
  const session = await requireRole(['platform_admin']);
  return (
    <AppProvider locale={await getLocale()} csrfToken={session.csrfToken} user={session.user}>
      <Shell nav={PLATFORM_NAV}>{children}</Shell>
    </AppProvider>
  );
}
