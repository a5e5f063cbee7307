'use client';
// The dashboard's data layer: TanStack Query (v5) over the typed client. Reads are cached by
// a key that starts with the API path, so a write invalidates every view of what it changed;
// list filters live in the URL (useUrlFilters), so a link reproduces the view.
import {
  QueryClient,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryKey,
  type UseQueryOptions,
} from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { ApiError } from './api';
import type { Loaded } from '@/components/providers';
import { useToast } from '@/components/toast';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Cached data shows at once and is read again whenever a page mounts: pages that are not
        // on the cache yet write through the API directly, so nothing may be trusted as fresh.
        staleTime: 0,
        refetchOnWindowFocus: false,
        // A 4xx answer will not change on a retry; a network blip or a 503 may.
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      },
      mutations: { retry: false },
    },
  });
}

/**
 * Query keys, one root per resource of the API. A member's parts sit under its key, and every
 * member key under `members`, so invalidating `keys.members()` refreshes lists and pages alike.
 */
export const keys = {
  members: () => ['members'] as const,
  memberList: (filter: Record<string, string>) => ['members', 'list', filter] as const,
  member: (ref: string) => ['members', 'one', ref] as const,
  memberPart: (ref: string, part: string, args: Record<string, unknown> = {}) => ['members', 'one', ref, part, args] as const,
  tiers: () => ['tiers'] as const,
  stores: () => ['stores'] as const,
  program: () => ['program'] as const,
  /** The active templates (GET /v1/coupon-templates, 200 at most): pickers and the grant form. */
  couponTemplates: () => ['coupon-templates'] as const,
  /** A catalogue page's list (archived included or not), under its resource's root. */
  catalogue: (root: QueryKey, includeArchived: boolean) => [...root, 'catalogue', { includeArchived }] as const,
  plans: () => ['plans'] as const,
  rewards: () => ['rewards'] as const,
  tasks: () => ['tasks'] as const,
  benefits: () => ['benefits'] as const,
  campaigns: () => ['campaigns'] as const,
  campaignApplications: (code: string) => ['campaigns', code, 'applications'] as const,
  users: () => ['users'] as const,
  apiKeys: () => ['api-keys'] as const,
  webhooks: () => ['webhooks'] as const,
  deliveries: (id: string) => ['webhooks', id, 'deliveries'] as const,
  audit: (filter: Record<string, string>) => ['audit', filter] as const,
  retentionRuns: () => ['retention', 'runs'] as const,
  retentionRun: (id: string) => ['retention', 'runs', id] as const,
  recompute: (id: string) => ['recompute', id] as const,
  imports: () => ['imports'] as const,
  importJob: (id: string) => ['imports', id] as const,
  analytics: (kind: string, range: Record<string, string>) => ['analytics', kind, range] as const,
  tenants: (filter: Record<string, string>) => ['platform', 'tenants', filter] as const,
};

/** A read through the cache. */
export function useApiQuery<T>(
  key: QueryKey,
  load: () => Promise<T>,
  options: Omit<UseQueryOptions<T, Error>, 'queryKey' | 'queryFn'> = {},
) {
  return useQuery<T, Error>({ queryKey: key, queryFn: load, ...options });
}

/** A query as the `Loaded` shape `<Async>` renders (loading, error with retry, data). */
export function asLoaded<T>(q: { data: T | undefined; error: Error | null; isPending: boolean; refetch: () => unknown }): Loaded<T> {
  return { data: q.data, error: q.error, loading: q.isPending, reload: () => void q.refetch() };
}

/**
 * A write: on success it invalidates the given keys (every view of what changed is read
 * again) and shows `success(data)` as a toast. Errors stay with the caller (an ErrorNote on
 * the form or in the dialog), so they sit next to what failed.
 */
export function useApiMutation<V, T>(options: {
  run: (vars: V) => Promise<T>;
  invalidate?: (data: T, vars: V) => QueryKey[];
  success?: (data: T, vars: V) => string | null;
}) {
  const client = useQueryClient();
  const toast = useToast();
  return useMutation<T, Error, V>({
    mutationFn: options.run,
    onSuccess: async (data, vars) => {
      const message = options.success?.(data, vars);
      if (message) toast(message);
      await Promise.all((options.invalidate?.(data, vars) ?? []).map((queryKey) => client.invalidateQueries({ queryKey })));
    },
  });
}

export interface CursorPage<T> {
  data: T[];
  nextCursor: string | null;
}

/** A cursor-paged list through the cache: the rows so far, "more" while there is a next page. */
export function useCursorQuery<T>(key: QueryKey, fetchPage: (cursor: string | null) => Promise<CursorPage<T>>) {
  const q = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = useMemo(() => q.data?.pages.flatMap((p) => p.data) ?? [], [q.data]);
  return { ...q, rows };
}

/**
 * Filters kept in the URL's query string: `values` are the current ones (missing = ''), `set`
 * replaces some of them (an empty value removes it) without a new history entry per keystroke.
 */
export function useUrlFilters<K extends string>(names: readonly K[]) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const key = params.toString();
  const values = useMemo(
    () => Object.fromEntries(names.map((n) => [n, params.get(n) ?? ''])) as Record<K, string>,
    [key, names.join()],
  );
  const set = useCallback(
    (next: Partial<Record<K, string>>) => {
      const p = new URLSearchParams(key);
      for (const [k, v] of Object.entries(next) as [K, string | undefined][]) {
        if (v) p.set(k, v);
        else p.delete(k);
      }
      const qs = p.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [key, pathname, router],
  );
  return { values, set };
}
