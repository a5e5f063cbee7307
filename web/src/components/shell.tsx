'use client';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import type { MessageKey } from '@/i18n';
import { useApp } from './providers';
import { LanguageSwitcher } from './language-switcher';
import { BrandMark, Icon, type IconName } from './data-ui';

export interface NavItem {
  href: string;
  label: MessageKey;
  icon?: IconName;
  /** Shown only to these roles (the API checks again on every call). */
  roles?: string[];
}

export const MERCHANT_NAV: NavItem[] = [
  { href: '/', label: 'nav.overview', icon: 'overview' },
  { href: '/members', label: 'nav.members', icon: 'members' },
  { href: '/tiers', label: 'nav.tiers', icon: 'tiers' },
  { href: '/benefits', label: 'nav.benefits', icon: 'benefits' },
  { href: '/points', label: 'nav.points', icon: 'points' },
  { href: '/coupons', label: 'nav.coupons', icon: 'coupons' },
  { href: '/rewards', label: 'nav.rewards', icon: 'rewards' },
  { href: '/tasks', label: 'nav.tasks', icon: 'tasks' },
  { href: '/campaigns', label: 'nav.campaigns', icon: 'campaigns' },
  { href: '/plans', label: 'nav.plans', icon: 'plans' },
  { href: '/retention', label: 'nav.retention', icon: 'retention' },
  { href: '/settlement', label: 'nav.settlement', icon: 'settlement' },
  { href: '/imports', label: 'nav.imports', icon: 'imports' },
  { href: '/stores', label: 'nav.stores', icon: 'stores' },
  { href: '/api-keys', label: 'nav.apiKeys', icon: 'keys' },
  { href: '/webhooks', label: 'nav.webhooks', icon: 'webhooks' },
  { href: '/audit', label: 'nav.audit', icon: 'audit' },
  { href: '/settings', label: 'nav.settings', icon: 'settings' },
  { href: '/users', label: 'nav.users', icon: 'users', roles: ['owner'] },
];

export const PLATFORM_NAV: NavItem[] = [
  { href: '/platform', label: 'nav.tenants', icon: 'tenants' },
  { href: '/platform/onboard', label: 'nav.onboard', icon: 'onboard' },
];

/** The tenant's logo when it has one, else its initial on the brand colour. */
function TenantMark({ name, logoUrl }: { name: string; logoUrl?: string | null }) {
  if (logoUrl) {
    return <img src={logoUrl} alt="" className="h-8 w-8 shrink-0 rounded-md object-cover" />;
  }
  return (
    <span aria-hidden className="flex h-8 w-8 shrink-0 items-center justify-center rounded-md bg-indigo-100 text-sm font-semibold text-indigo-800">
      {Array.from(name.trim())[0]?.toUpperCase() ?? '·'}
    </span>
  );
}

export function Shell({ nav, children }: { nav: NavItem[]; children: ReactNode }) {
  const { t, user, api, tenant, label } = useApp();
  const pathname = usePathname();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const active = (href: string) => (href === '/' || href === '/platform' ? pathname === href : pathname.startsWith(href));
  const links = (
    <nav aria-label={t('nav.main')}>
      <ul className="flex flex-col gap-0.5 p-2">
        {nav.filter((item) => !item.roles || (user && item.roles.includes(user.role))).map((item) => (
          <li key={item.href}>
            <Link
              href={item.href}
              onClick={() => setOpen(false)}
              aria-current={active(item.href) ? 'page' : undefined}
              className={`flex items-center gap-2 rounded-md px-3 py-2 text-sm ${active(item.href) ? 'bg-indigo-50 font-medium text-indigo-700' : 'text-slate-700 hover:bg-slate-100'}`}
            >
              {item.icon ? <Icon name={item.icon} className="h-4 w-4 shrink-0 opacity-80" /> : null}
              {t(item.label)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
  const org = tenant.name ?? (user?.role === 'platform_admin' ? t('shell.platform') : t('app.name'));
  return (
    <div className="min-h-screen md:flex">
      <aside className="hidden md:block md:min-h-screen md:w-56 md:shrink-0 md:border-r md:border-slate-200 md:bg-white">
        <div className="flex items-center gap-2 px-4 py-4">
          <BrandMark />
          <span className="text-lg font-semibold">{t('app.name')}</span>
        </div>
        {links}
      </aside>
      <div className="min-w-0 flex-1">
        <header className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-slate-200 bg-white px-4 py-2">
          <button
            type="button"
            className="rounded-md border border-slate-300 p-1.5 md:hidden"
            aria-expanded={open}
            aria-controls="main-nav"
            aria-label={t('nav.menu')}
            onClick={() => setOpen((o) => !o)}
          >
            <Icon name="menu" />
          </button>
          <div className="flex min-w-0 flex-1 items-center gap-2" data-testid="tenant-name">
            <TenantMark name={org} logoUrl={tenant.logoUrl} />
            <span className="truncate font-semibold text-slate-900">{org}</span>
          </div>
          <div className="flex shrink-0 items-center gap-2 sm:gap-3">
            <LanguageSwitcher />
            <div className="hidden text-right leading-tight sm:block">
              <span className="block text-sm text-slate-700" data-testid="user-email">
                {user?.name ?? user?.email}
              </span>
              <span className="block text-xs text-slate-500" data-testid="user-role">
                {user ? label('Role', user.role) : null}
              </span>
            </div>
            <button
              type="button"
              className="inline-flex items-center gap-1 rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-50"
              onClick={async () => {
                await api.POST('/v1/auth/logout', {});
                router.replace('/login');
                router.refresh();
              }}
            >
              <Icon name="logout" className="h-4 w-4" />
              <span className="sr-only sm:not-sr-only">{t('auth.logout')}</span>
            </button>
          </div>
        </header>
        {open ? (
          <div id="main-nav" className="border-b border-slate-200 bg-white md:hidden">
            {links}
          </div>
        ) : null}
        <main className="mx-auto max-w-6xl p-4 md:p-6">{children}</main>
      </div>
    </div>
  );
}
