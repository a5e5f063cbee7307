'use client';
// Shared pieces of the settings-style forms: a field in merchant units with its error and help,
// the sticky save bar, the unsaved-changes guard, toasts, and the API's problem mapped to fields.
import { useCallback, useEffect, useId, useRef, useState, type InputHTMLAttributes, type ReactNode } from 'react';
import type { MessageKey, Translate } from '@/i18n';

export { problemText };
import { ApiError } from '@/lib/api';
import { problemText } from '@/lib/problem';
import type { UnitError } from '@/lib/units';
import { useApp } from './providers';
import { Button } from './ui';

/** The message of a refused typed value, in the user's language. */
export function unitErrorText(t: Translate, e: UnitError): string {
  return t(`units.error.${e}` as MessageKey);
}

/**
 * The API's field errors (`errors[].path`, e.g. `tiers.2.minGrowth` or `retention.warnDays`) laid on
 * the form's fields: `fieldOf` names the field a path belongs to (undefined: not on this form).
 * The message is by the problem's code in the user's language (en adds the API's words).
 */
export function fieldErrorsOf(
  t: Translate,
  locale: string,
  err: unknown,
  fieldOf: (path: string) => string | undefined,
): { fields: Record<string, string>; rest: Error | null } {
  if (!(err instanceof ApiError) || err.errors.length === 0) return { fields: {}, rest: err instanceof Error ? err : null };
  const fields: Record<string, string> = {};
  let unplaced = false;
  for (const e of err.errors) {
    const f = fieldOf(e.path);
    if (!f) {
      unplaced = true;
      continue;
    }
    fields[f] = locale === 'en' ? `${t('problem.field')} ${e.message}` : t('problem.field');
  }
  return { fields, rest: unplaced ? err : null };
}

/** A problem shown as a note in the user's language (no raw paths or English in zh-CN). */
export function ProblemNote({ error }: { error: Error }) {
  const { t, locale } = useApp();
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
      {problemText(t, locale, error)}
    </div>
  );
}

/**
 * An input in a merchant unit: a prefix (¥, ×) or suffix (% off, 折, %) beside the box, the help
 * text (what a member sees because of it) and the error under it.
 */
export function UnitField({
  label,
  error,
  hint,
  prefix,
  suffix,
  className = '',
  ...input
}: {
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  prefix?: string | undefined;
  suffix?: string | undefined;
  className?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'prefix'>) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-err` : ''].filter(Boolean).join(' ');
  return (
    <div className={`flex min-w-0 flex-col gap-1 ${className}`}>
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <div
        className={`flex items-center rounded-md border bg-white focus-within:ring-2 has-[input:read-only]:cursor-not-allowed has-[input:read-only]:border-slate-200 has-[input:read-only]:bg-slate-100 has-[input:read-only]:ring-0 ${
          error ? 'border-red-400 focus-within:ring-red-200' : 'border-slate-300 focus-within:border-indigo-500 focus-within:ring-indigo-200'
        }`}
      >
        {prefix ? (
          <span className="pl-3 text-sm text-slate-500" aria-hidden="true">
            {prefix}
          </span>
        ) : null}
        <input
          id={id}
          inputMode="decimal"
          aria-invalid={error ? true : undefined}
          aria-describedby={described || undefined}
          className="w-full min-w-0 rounded-md bg-transparent px-3 py-2 text-sm focus:outline-none read-only:cursor-not-allowed read-only:text-slate-500"
          {...input}
        />
        {suffix ? (
          <span className="whitespace-nowrap pr-3 text-sm text-slate-500" aria-hidden="true">
            {suffix}
          </span>
        ) : null}
      </div>
      {error ? (
        <p id={`${id}-err`} className="text-xs text-red-600">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** A form section: a title, what it is about, and its fields in a responsive grid. */
export function Section({ title, help, children }: { title: string; help?: string; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id={id} className="text-base font-semibold text-slate-800">
        {title}
      </h2>
      {help ? <p className="mt-1 text-sm text-slate-500">{help}</p> : null}
      <div className="mt-4 grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-3">{children}</div>
    </section>
  );
}

/** The bar fixed to the bottom of the screen while a form has unsaved changes. */
export function StickySaveBar({
  dirty,
  busy,
  count,
  onSave,
  onDiscard,
  saveLabel,
}: {
  dirty: boolean;
  busy: boolean;
  count: number;
  onSave: () => void;
  onDiscard: () => void;
  saveLabel?: string;
}) {
  const { t } = useApp();
  if (!dirty) return null;
  return (
    <div
      role="region"
      aria-label={t('form.unsavedBar')}
      className="sticky bottom-0 z-20 -mx-4 mt-6 flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 bg-white/95 px-4 py-3 shadow-[0_-4px_12px_rgba(15,23,42,0.06)] backdrop-blur"
    >
      <p className="text-sm text-slate-700">{t('form.unsaved', { n: count })}</p>
      <div className="flex gap-2">
        <Button variant="secondary" onClick={onDiscard} disabled={busy}>
          {t('form.discard')}
        </Button>
        <Button onClick={onSave} disabled={busy} aria-busy={busy || undefined}>
          {busy ? t('common.saving') : (saveLabel ?? t('common.save'))}
        </Button>
      </div>
    </div>
  );
}

/**
 * While `dirty`, leaving asks first: closing or reloading the tab (the browser's own prompt)
 * and following a link inside the dashboard (a confirmation; staying keeps the edits).
 */
export function useUnsavedGuard(dirty: boolean) {
  const { t } = useApp();
  const message = t('form.leaveConfirm');
  useEffect(() => {
    if (!dirty) return;
    const beforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    const click = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element | null)?.closest?.('a[href]');
      if (!a || (a as HTMLAnchorElement).target === '_blank') return;
      const href = (a as HTMLAnchorElement).href;
      if (href === window.location.href) return;
      if (!window.confirm(message)) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener('beforeunload', beforeUnload);
    document.addEventListener('click', click, true);
    return () => {
      window.removeEventListener('beforeunload', beforeUnload);
      document.removeEventListener('click', click, true);
    };
  }, [dirty, message]);
}

/** A toast: `show(text)` puts it at the bottom of the screen for a few seconds. */
export function useToast(): [ReactNode, (text: string, tone?: 'ok' | 'error') => void] {
  const [toast, setToast] = useState<{ text: string; tone: 'ok' | 'error'; n: number } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const show = useCallback((text: string, tone: 'ok' | 'error' = 'ok') => {
    setToast((p) => ({ text, tone, n: (p?.n ?? 0) + 1 }));
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setToast(null), 5000);
  }, []);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  const node = (
    <div aria-live="polite" className="pointer-events-none fixed inset-x-0 bottom-20 z-50 flex justify-center px-4">
      {toast ? (
        <p
          key={toast.n}
          role="status"
          data-testid="toast"
          className={`pointer-events-auto rounded-md px-4 py-2 text-sm font-medium shadow-lg ${
            toast.tone === 'ok' ? 'bg-slate-900 text-white' : 'bg-red-700 text-white'
          }`}
        >
          {toast.text}
        </p>
      ) : null}
    </div>
  );
  return [node, show];
}
