'use client';
// Building blocks of the index and detail pages: skeletons while loading, an empty state with
// the next action, a list that is a table on a desktop and stacked cards on a phone, a tab
// bar, an actions menu and the icon set.
import Link from 'next/link';
import { useEffect, useId, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useApp } from './providers';
import { ErrorNote } from './ui';

/** Grey bars the shape of the content, while it loads (announced once as loading). */
export function Skeleton({ rows = 4, className = '' }: { rows?: number; className?: string }) {
  const { t } = useApp();
  return (
    <div role="status" aria-live="polite" data-testid="skeleton" className={`flex flex-col gap-3 py-2 ${className}`}>
      <span className="sr-only">{t('common.loading')}</span>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="h-4 animate-pulse rounded bg-slate-200" style={{ width: `${90 - ((i * 17) % 40)}%` }} />
      ))}
    </div>
  );
}

/** A query's view: skeleton while pending, the error with a retry, else the data. */
export function QueryView<T>({
  query,
  rows,
  children,
}: {
  query: { data: T | undefined; error: Error | null; isPending: boolean; refetch: () => unknown };
  rows?: number;
  children: (data: T) => ReactNode;
}) {
  if (query.error && query.data === undefined) return <ErrorNote error={query.error} onRetry={() => void query.refetch()} />;
  if (query.isPending || query.data === undefined) return <Skeleton rows={rows} />;
  return <>{children(query.data)}</>;
}

/** What is empty, what to do about it, and the action as a button or link. */
export function EmptyState({ title, body, action }: { title: string; body?: string; action?: ReactNode }) {
  return (
    <div data-testid="empty-state" className="flex flex-col items-center gap-2 rounded-lg border border-dashed border-slate-300 px-4 py-8 text-center">
      <Icon name="inbox" className="h-8 w-8 text-slate-400" />
      <p className="font-medium text-slate-800">{title}</p>
      {body ? <p className="max-w-md text-sm text-slate-600">{body}</p> : null}
      {action ? <div className="mt-2">{action}</div> : null}
    </div>
  );
}

const subscribeWidth = (cb: () => void) => {
  const m = window.matchMedia('(min-width: 640px)');
  m.addEventListener('change', cb);
  return () => m.removeEventListener('change', cb);
};

/** Whether the screen is at least 640 px wide (the server renders the desktop layout). */
export function useWide(): boolean {
  return useSyncExternalStore(
    subscribeWidth,
    () => window.matchMedia('(min-width: 640px)').matches,
    () => true,
  );
}

export interface Column<T> {
  label: string;
  cell: (row: T) => ReactNode;
  className?: string;
}

/**
 * Rows as a table on a desktop and as stacked cards below 640 px (the first column is the
 * card's title, the others label: value), so nothing scrolls sideways on a phone.
 */
export function DataList<T>({
  rows,
  columns,
  rowKey,
  caption,
  rowTestId,
}: {
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  caption?: string;
  rowTestId?: (row: T) => string;
}) {
  const wide = useWide();
  if (!wide) {
    const [first, ...rest] = columns;
    return (
      <ul className="flex flex-col gap-3" aria-label={caption} data-testid="card-list">
        {rows.map((r) => (
          <li key={rowKey(r)} data-testid={rowTestId?.(r)} className="rounded-lg border border-slate-200 bg-white p-3 text-sm shadow-sm">
            <div className="mb-2 break-words font-medium">{first?.cell(r)}</div>
            <dl className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)] gap-x-3 gap-y-1">
              {rest.map((c) => (
                <div key={c.label} className="contents">
                  <dt className="text-slate-500">{c.label}</dt>
                  <dd className="min-w-0 break-words">{c.cell(r)}</dd>
                </div>
              ))}
            </dl>
          </li>
        ))}
      </ul>
    );
  }
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead className="border-b border-slate-200 text-xs text-slate-500">
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col" className="px-2 py-2 font-medium">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={rowKey(r)} data-testid={rowTestId?.(r)}>
              {columns.map((c) => (
                <td key={c.label} className={`px-2 py-2 align-top ${c.className ?? ''}`}>
                  {c.cell(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Tabs (WAI-ARIA tabs pattern; arrow keys move between them). */
export function Tabs<K extends string>({ tabs, value, onChange, label }: { tabs: { key: K; label: string }[]; value: K; onChange: (k: K) => void; label: string }) {
  const id = useId();
  return (
    <div role="tablist" aria-label={label} className="mb-4 flex gap-1 overflow-x-auto border-b border-slate-200">
      {tabs.map((tab, i) => (
        <button
          key={tab.key}
          type="button"
          role="tab"
          id={`${id}-${tab.key}`}
          aria-selected={tab.key === value}
          tabIndex={tab.key === value ? 0 : -1}
          onClick={() => onChange(tab.key)}
          onKeyDown={(e) => {
            const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
            if (d) onChange(tabs[(i + d + tabs.length) % tabs.length]!.key);
          }}
          className={`shrink-0 whitespace-nowrap border-b-2 px-3 py-2 text-sm ${tab.key === value ? 'border-indigo-600 font-medium text-indigo-700' : 'border-transparent text-slate-600 hover:text-slate-900'}`}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}

/** A button that opens a menu of actions (closes on choice, Escape or a click outside). */
export function ActionsMenu({ label, items }: { label: string; items: { key: string; label: string; danger?: boolean; onSelect: () => void }[] }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);
  return (
    <div className="relative" ref={ref}>
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="inline-flex items-center gap-1 rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700"
      >
        {label}
        <Icon name="chevron" className="h-4 w-4" />
      </button>
      {open ? (
        <ul role="menu" className="absolute right-0 z-20 mt-1 w-56 rounded-md border border-slate-200 bg-white py-1 shadow-lg">
          {items.map((it) => (
            <li key={it.key} role="none">
              <button
                type="button"
                role="menuitem"
                onClick={() => {
                  setOpen(false);
                  it.onSelect();
                }}
                className={`block w-full px-3 py-2 text-left text-sm hover:bg-slate-50 ${it.danger ? 'text-red-700' : 'text-slate-800'}`}
              >
                {it.label}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** A progress bar with its counts ("12 / 50"). */
export function ProgressBar({ value, max, label }: { value: number; max: number; label: string }) {
  const { num } = useApp();
  const pct = max > 0 ? Math.min(100, Math.round((value * 100) / max)) : 0;
  return (
    <div>
      <div className="mb-1 flex justify-between text-xs text-slate-600">
        <span>{label}</span>
        <span data-testid="progress-count">
          {num(value)} / {num(max)}
        </span>
      </div>
      <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={value} className="h-2 w-full overflow-hidden rounded-full bg-slate-200">
        <div className="h-full bg-indigo-600 transition-all" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

/** A link styled as the primary button (an empty state's action). */
export function ButtonLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link href={href} className="inline-block rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700">
      {children}
    </Link>
  );
}

const PATHS: Record<string, string> = {
  overview: 'M3 13h8V3H3v10zm0 8h8v-6H3v6zm10 0h8V11h-8v10zm0-18v6h8V3h-8z',
  members: 'M16 11a4 4 0 1 0-4-4 4 4 0 0 0 4 4zm-8 0a3 3 0 1 0-3-3 3 3 0 0 0 3 3zm0 2c-2.7 0-6 1.3-6 3.5V19h7v-2.5c0-1 .4-1.9 1-2.6A9 9 0 0 0 8 13zm8 0c-3 0-7 1.5-7 4v2h14v-2c0-2.5-4-4-7-4z',
  tiers: 'M12 2 4 6v6c0 5 3.4 9.4 8 10 4.6-.6 8-5 8-10V6l-8-4zm0 5 1.5 3.1 3.4.5-2.4 2.4.6 3.4-3.1-1.6-3.1 1.6.6-3.4-2.4-2.4 3.4-.5L12 7z',
  benefits: 'M20 7h-2.2A3 3 0 0 0 12 4a3 3 0 0 0-5.8 3H4a1 1 0 0 0-1 1v3h18V8a1 1 0 0 0-1-1zM4 13v7a1 1 0 0 0 1 1h6v-8H4zm9 8h6a1 1 0 0 0 1-1v-7h-7v8z',
  points: 'M12 2a10 10 0 1 0 10 10A10 10 0 0 0 12 2zm1 15h-2v-2H9v-2h2v-2H9V9h1.6L9 6.5 10.7 5.5 12 7.7l1.3-2.2 1.7 1L13.4 9H15v2h-2v2h2v2h-2v2z',
  coupons: 'M21 10V6a1 1 0 0 0-1-1H4a1 1 0 0 0-1 1v4a2 2 0 0 1 0 4v4a1 1 0 0 0 1 1h16a1 1 0 0 0 1-1v-4a2 2 0 0 1 0-4zM9 8a1.5 1.5 0 1 1-1.5 1.5A1.5 1.5 0 0 1 9 8zm6 8a1.5 1.5 0 1 1 1.5-1.5A1.5 1.5 0 0 1 15 16zm-6.3.7-1.4-1.4 8-8 1.4 1.4-8 8z',
  rewards: 'M19 5h-2V3H7v2H5a2 2 0 0 0-2 2v1a5 5 0 0 0 4.4 5A5 5 0 0 0 11 15.9V19H7v2h10v-2h-4v-3.1a5 5 0 0 0 3.6-2.9A5 5 0 0 0 21 8V7a2 2 0 0 0-2-2zM5 8V7h2v3.8A3 3 0 0 1 5 8zm14 0a3 3 0 0 1-2 2.8V7h2v1z',
  plans: 'M12 2 9.2 8.3 2 9.2l5.5 4.8L5.8 21 12 17.3 18.2 21l-1.7-7 5.5-4.8-7.2-.9L12 2z',
  retention: 'M12 4V1L8 5l4 4V6a6 6 0 1 1-6 6H4a8 8 0 1 0 8-8z',
  settlement: 'M7 7h10V4l5 4.5L17 13v-3H7V7zm10 10H7v3l-5-4.5L7 11v3h10v3z',
  imports: 'M19 9h-4V3H9v6H5l7 7 7-7zM5 18v2h14v-2H5z',
  stores: 'M4 4h16l1 5a3 3 0 0 1-5 2.2A3 3 0 0 1 12 12a3 3 0 0 1-4-.8A3 3 0 0 1 3 9l1-5zm1 9.8V20h14v-6.2a4.9 4.9 0 0 1-3 .2 5 5 0 0 1-4 1 5 5 0 0 1-4-1 4.9 4.9 0 0 1-3-.2z',
  keys: 'M7 14a3 3 0 1 1 3-3 3 3 0 0 1-3 3zm5.6-5A6 6 0 1 0 12.6 13H16v3h3v-3h2V9h-8.4z',
  webhooks: 'M10 15a3 3 0 1 1-3-3l2.4-4.2a3 3 0 1 1 1.7 1L8.8 13A3 3 0 0 1 10 15zm7-3a3 3 0 1 1-2.8 4H9v-2h5.2A3 3 0 0 1 17 12z',
  audit: 'M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8l-6-6zm-1 7V3.5L18.5 9H13zM8 13h8v2H8v-2zm0 4h5v2H8v-2z',
  settings: 'M19.4 13a7.8 7.8 0 0 0 0-2l2.1-1.6-2-3.5-2.5 1a7.4 7.4 0 0 0-1.7-1L15 3h-4l-.3 2.9a7.4 7.4 0 0 0-1.7 1l-2.5-1-2 3.5L6.6 11a7.8 7.8 0 0 0 0 2l-2.1 1.6 2 3.5 2.5-1a7.4 7.4 0 0 0 1.7 1L11 21h4l.3-2.9a7.4 7.4 0 0 0 1.7-1l2.5 1 2-3.5L19.4 13zM13 15.5a3.5 3.5 0 1 1 3.5-3.5 3.5 3.5 0 0 1-3.5 3.5z',
  tenants: 'M3 21V7l6-4v4l6-4v4l6-4v18H3zm4-3h2v-3H7v3zm4 0h2v-3h-2v3zm4 0h2v-3h-2v3z',
  onboard: 'M19 13h-6v6h-2v-6H5v-2h6V5h2v6h6v2z',
  tasks: 'M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4L9 16.2z',
  campaigns: 'M3 10v4h3l5 4V6L6 10H3zm13.5 2a4.5 4.5 0 0 0-2.5-4v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z',
  users: 'M12 12a4 4 0 1 0-4-4 4 4 0 0 0 4 4zm0 2c-2.7 0-8 1.3-8 4v2h16v-2c0-2.7-5.3-4-8-4z',
  inbox: 'M19 3H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V5a2 2 0 0 0-2-2zm0 12h-4a3 3 0 0 1-6 0H5V5h14v10z',
  chevron: 'M7 10l5 5 5-5H7z',
  calendar: 'M19 4h-1V2h-2v2H8V2H6v2H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2zm0 16H5V10h14v10zm0-12H5V6h14v2z',
  menu: 'M3 6h18v2H3V6zm0 5h18v2H3v-2zm0 5h18v2H3v-2z',
  logout: 'M10 17l1.4-1.4L8.8 13H20v-2H8.8l2.6-2.6L10 7l-5 5 5 5zM4 5h8V3H4a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h8v-2H4V5z',
};
export type IconName = keyof typeof PATHS;

/** The dashboard's icons, inline SVG (no font or network fetch); decorative unless labelled. */
export function Icon({ name, className = 'h-5 w-5', label }: { name: IconName; className?: string; label?: string }) {
  return (
    <svg viewBox="0 0 24 24" fill="currentColor" className={className} aria-hidden={label ? undefined : true} role={label ? 'img' : undefined} aria-label={label}>
      <path d={PATHS[name]} />
    </svg>
  );
}

/** The Unionpoint mark: two overlapping rings (a member known in two stores). */
export function BrandMark({ className = 'h-7 w-7' }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden>
      <rect width="32" height="32" rx="8" fill="#4f46e5" />
      <circle cx="12.5" cy="16" r="6" fill="none" stroke="#fff" strokeWidth="2.6" />
      <circle cx="19.5" cy="16" r="6" fill="none" stroke="#c7d2fe" strokeWidth="2.6" />
    </svg>
  );
}
