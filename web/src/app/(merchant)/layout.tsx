import type { ReactNode } from 'react';
import { getLocale, requireRole, serverApi } from '@/lib/server';
import { AppProvider } from '@/components/providers';
import { MERCHANT_NAV, Shell } from '@/components/shell';

// Merchant pages: the role is checked here, on the server, for every request.
export const dynamic = 'force-dynamic';

export default async function MerchantLayout({ children }: { children: ReactNode }) {
  const session = await requireRole(['owner', 'admin', 'staff', 'viewer']);
  const api = await serverApi();
  const [program, tenant] = await Promise.all([api.GET('/v1/program').then((r) => r.data), api.GET('/v1/tenant').then((r) => r.data)]);
  return (
    <AppProvider
      locale={await getLocale()}
      csrfToken={session.csrfToken}
      user={session.user}
      tenant={{ currency: program?.currency ?? 'CNY', timezone: program?.timezone ?? 'Asia/Shanghai', name: tenant?.name ?? null }}
    >
      <Shell nav={MERCHANT_NAV}>{children}</Shell>
    </AppProvider>
  );
}
