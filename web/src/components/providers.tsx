'use client';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { translator, type Locale, type Translate } from '@/i18n';
import { ApiError, browserApi, type Api } from '@/lib/api';
import { formatDate, formatDateTime, formatMoney, formatNumber } from '@/lib/format';
import { QueryClientProvider } from '@tanstack/react-query';
import { createQueryClient } from '@/lib/query';
import { enumLabel, type EnumName } from '@/i18n/enums';
import { ToastProvider } from './toast';
import { roleCan, type Ability } from '@/lib/can';

interface AppContext {
  locale: Locale;
  t: Translate;
  api: Api;
  user: { id: string; email: string; role: string; tenantId: string | null; name?: string | null } | null;
  tenant: { currency: string; timezone: string; name?: string | null; logoUrl?: string | null };
  /** An API enum value in words (see i18n/enums.ts). */
  label(name: EnumName, value: string): string;
  money(cents: number): string;
  num(n: number): string;
  dateTime(iso: string | null | undefined): string;
  date(iso: string | null | undefined): string;
}

const Ctx = createContext<AppContext | null>(null);

export function AppProvider(props: {
  locale: Locale;
  csrfToken?: string;
  user?: AppContext['user'];
  tenant?: AppContext['tenant'];
  children: ReactNode;
}) {
  const { locale, csrfToken = '', user = null } = props;
  const tenant = props.tenant ?? { currency: 'CNY', timezone: 'Asia/Shanghai' };
  const value = useMemo<AppContext>(
    () => ({
      locale,
      t: translator(locale),
      api: browserApi(csrfToken),
      user,
      tenant,
      money: (c) => formatMoney(c, tenant.currency, locale),
      num: (n) => formatNumber(n, locale),
      dateTime: (iso) => formatDateTime(iso, tenant.timezone, locale),
      date: (iso) => formatDate(iso, tenant.timezone, locale),
      label: (name, v) => enumLabel(locale, name, v),
    }),
    [locale, csrfToken, user?.id, tenant.currency, tenant.timezone, tenant.name, tenant.logoUrl],
  );
  // One query cache per browser tab (created once, kept across renders).
  const [queryClient] = useState(createQueryClient);
  return (
    <Ctx.Provider value={value}>
      <QueryClientProvider client={queryClient}>
        <ToastProvider closeLabel={value.t('common.close')}>{props.children}</ToastProvider>
      </QueryClientProvider>
    </Ctx.Provider>
  );
}

export function useApp(): AppContext {
  const c = useContext(Ctx);
  if (!c) throw new Error('useApp outside AppProvider');
  return c;
}

/**
 * Whether the session's role may do something (lib/can.ts): write controls are shown only when
 * the API would admit the write. `can('write')` owners and admins, `can('staffWrite')` also
 * staff, `can('users')` owners.
 */
export function useCan(): (ability: Ability) => boolean {
  const { user } = useApp();
  return (ability) => roleCan(user?.role, ability);
}

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | Error | null;
  loading: boolean;
  reload(): void;
}

/**
 * Loads data on mount and when deps change; exposes loading and error states. The pages that
 * moved to the query cache use `useApiQuery` (lib/query.ts) instead.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    load().then(
      (d) => live && (setData(d), setLoading(false)),
      (e: unknown) => live && (setError(e instanceof Error ? e : new Error(String(e))), setLoading(false)),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((x) => x + 1), []);
  return { data, error, loading, reload };
}
