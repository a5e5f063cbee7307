'use client';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import type { MessageKey } from '@/i18n';
import { useApp } from './providers';
import { LanguageSwitcher } from './language-switcher';

export interface NavItem {
  href: string;
  label: MessageKey;
  /** Shown only to these roles (the API checks again on every call). */
  roles?: string[];
}

export const MERCHANT_NAV: NavItem[] = [
  { href: '/', label: 'nav.overview' },
  { href: '/members', label: 'nav.members' },
  { href: '/tiers', label: 'nav.tiers' },
  { href: '/benefits', label: 'nav.benefits' },
  { href: '/points', label: 'nav.points' },
  { href: '/coupons', label: 'nav.coupons' },
  { href: '/rewards', label: 'nav.rewards' },
  { href: '/tasks', label: 'nav.tasks' },
  { href: '/campaigns', label: 'nav.campaigns' },
  { href: '/plans', label: 'nav.plans' },
  { href: '/retention', label: 'nav.retention' },
  { href: '/stores', label: 'nav.stores' },
  { href: '/api-keys', label: 'nav.apiKeys' },
  { href: '/webhooks', label: 'nav.webhooks' },
  { href: '/audit', label: 'nav.audit' },
  { href: '/settings', label: 'nav.settings' },
  { href: '/users', label: 'nav.users', roles: ['owner'] },
];

const isRoleKey = (r: string): r is 'owner' | 'admin' | 'staff' | 'viewer' | 'platform_admin' => ['owner', 'admin', 'staff', 'viewer', 'platform_admin'].includes(r);

export const PLATFORM_NAV: NavItem[] = [
  { href: '/platform', label: 'nav.tenants' },
  { href: '/platform/onboard', label: 'nav.onboard' },
];

export function Shell({ nav, children }: { nav: NavItem[]; children: ReactNode }) {
  const { t, user, api } = useApp();
  const pathname = usePathname();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const active = (href: string) => (href === '/' || href === '/platform' ? pathname === href : pathname.startsWith(href));
  return (
    <div className="min-h-screen md:flex">
      <header className="flex items-center justify-between border-b border-slate-200 bg-white px-4 py-3 md:hidden">
        <span className="font-semibold">{t('app.name')}</span>
        <button
          type="button"
          className="rounded-md border border-slate-300 px-3 py-1 text-sm"
          aria-expanded={open}
          aria-controls="main-nav"
          onClick={() => setOpen((o) => !o)}
        >
          {t('nav.menu')}
        </button>
      </header>
      <nav
        id="main-nav"
        aria-label={t('nav.main')}
        className={`${open ? 'block' : 'hidden'} border-b border-slate-200 bg-white md:block md:min-h-screen md:w-56 md:shrink-0 md:border-b-0 md:border-r`}
      >
        <div className="hidden px-4 py-4 text-lg font-semibold md:block">{t('app.name')}</div>
        <ul className="flex flex-col gap-0.5 p-2">
          {nav.filter((item) => !item.roles || (user && item.roles.includes(user.role))).map((item) => (
            <li key={item.href}>
              <Link
                href={item.href}
                onClick={() => setOpen(false)}
                aria-current={active(item.href) ? 'page' : undefined}
                className={`block rounded-md px-3 py-2 text-sm ${active(item.href) ? 'bg-indigo-50 font-medium text-indigo-700' : 'text-slate-700 hover:bg-slate-100'}`}
              >
                {t(item.label)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center justify-end gap-4 border-b border-slate-200 bg-white px-4 py-2">
          <LanguageSwitcher />
          <span className="text-sm text-slate-600" data-testid="user-email">
            {user?.email}
          </span>
          {user && isRoleKey(user.role) ? <span className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-700" data-testid="user-role">{t(`role.${user.role}`)}</span> : null}
          <button
            type="button"
            className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-50"
            onClick={async () => {
              await api.POST('/v1/auth/logout', {});
              router.replace('/login');
              router.refresh();
            }}
          >
            {t('auth.logout')}
          </button>
        </div>
        <main className="mx-auto max-w-6xl p-4 md:p-6">{children}</main>
      </div>
    </div>
  );
}
