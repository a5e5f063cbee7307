'use client';
import {
  useEffect,
  useId,
  useRef,
  useState,
  type ReactNode,
  type InputHTMLAttributes,
  type SelectHTMLAttributes,
  type ButtonHTMLAttributes,
} from 'react';
import { useApp, type Loaded } from './providers';
import { ApiError } from '@/lib/api';
import { describeError } from '@/lib/errors';

export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-center justify-between gap-3">
      <h1 className="text-2xl font-semibold text-slate-900">{children}</h1>
      {actions}
    </div>
  );
}

export function Card({ title, children, className = '' }: { title?: ReactNode; children: ReactNode; className?: string }) {
  const id = useId();
  return (
    <section aria-labelledby={title ? id : undefined} className={`rounded-lg border border-slate-200 bg-white p-4 shadow-sm ${className}`}>
      {title ? (
        <h2 id={id} className="mb-3 text-base font-semibold text-slate-800">
          {title}
        </h2>
      ) : null}
      {children}
    </section>
  );
}

const FIELD_BOX = 'rounded-md border border-slate-300 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200';
/**
 * A control that cannot be changed looks it: muted background and text, the not-allowed cursor
 * (a disabled fieldset for a viewer, a code fixed once created). `:read-only` covers both
 * `readonly` and `disabled` text boxes.
 */
export const DISABLED = 'disabled:cursor-not-allowed disabled:border-slate-200 disabled:bg-slate-100 disabled:text-slate-500';
export const READ_ONLY = 'read-only:cursor-not-allowed read-only:border-slate-200 read-only:bg-slate-100 read-only:text-slate-500 read-only:focus:ring-0';

export function Field({
  label,
  error,
  hint,
  ...input
}: { label: string; error?: string; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-err` : undefined}
        className={`${FIELD_BOX} bg-white px-3 py-2 text-sm ${input.type === 'checkbox' || input.type === 'radio' ? '' : READ_ONLY}`}
        {...input}
      />
      {hint ? <p className="text-xs text-slate-500">{hint}</p> : null}
      {error ? (
        <p id={`${id}-err`} className="text-xs text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function Select({ label, children, ...rest }: { label: string; children: ReactNode } & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <select
        id={id}
        className={`${FIELD_BOX} bg-white px-3 py-2 text-sm ${DISABLED}`}
        {...rest}
      >
        {children}
      </select>
    </div>
  );
}

export function Button({
  variant = 'primary',
  className = '',
  ...rest
}: { variant?: 'primary' | 'secondary' | 'danger' } & ButtonHTMLAttributes<HTMLButtonElement>) {
  const styles = {
    primary: 'bg-indigo-600 text-white hover:bg-indigo-700 disabled:bg-indigo-300',
    secondary: 'border border-slate-300 bg-white text-slate-800 hover:bg-slate-50 disabled:text-slate-400',
    danger: 'bg-red-600 text-white hover:bg-red-700 disabled:bg-red-300',
  }[variant];
  return (
    <button
      type="button"
      className={`rounded-md px-3 py-2 text-sm font-medium disabled:cursor-not-allowed focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:ring-offset-1 ${styles} ${className}`}
      {...rest}
    />
  );
}

export function ErrorNote({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  const { t, locale } = useApp();
  // A route the contract lists but this API build does not serve yet: a note, not an error.
  if (error instanceof ApiError && error.status === 404 && /^No route /.test(error.message)) {
    return (
      <p role="note" className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm text-slate-600">
        {t('common.notAvailable')}
      </p>
    );
  }
  const text = describeError(error, locale);
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
      {text.message}
      {text.fields.length > 0 ? (
        <ul className="mt-1 list-disc pl-5">
          {text.fields.map((e) => (
            <li key={e.path}>
              {e.field}: {e.text}
            </li>
          ))}
        </ul>
      ) : null}
      {onRetry ? (
        <button type="button" className="ml-2 underline" onClick={onRetry}>
          {t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}

export function Loading() {
  const { t } = useApp();
  return (
    <p role="status" aria-live="polite" className="py-6 text-sm text-slate-500">
      {t('common.loading')}
    </p>
  );
}

/** Renders loading, error (with retry) or the data. */
export function Async<T>({ state, children }: { state: Loaded<T>; children: (data: T) => ReactNode }) {
  if (state.error) return <ErrorNote error={state.error} onRetry={state.reload} />;
  if (state.loading && state.data === undefined) return <Loading />;
  if (state.data === undefined) return null;
  return <>{children(state.data)}</>;
}

export function Table({ head, children, caption }: { head: ReactNode[]; children: ReactNode; caption?: string }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[32rem] text-left text-sm">
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
          <tr>
            {head.map((h, i) => (
              <th key={i} scope="col" className="px-2 py-2 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

export function Td({ children, className = '' }: { children?: ReactNode; className?: string }) {
  return <td className={`px-2 py-2 align-top ${className}`}>{children}</td>;
}

/** A secret shown once, with a copy button. */
export function ShowOnce({ label, value }: { label: string; value: string }) {
  const { t } = useApp();
  const [copied, setCopied] = useState(false);
  return (
    <div className="rounded-md border border-amber-300 bg-amber-50 p-3" role="region" aria-label={label}>
      <p className="text-sm font-medium text-amber-900">{label}</p>
      <p className="text-xs text-amber-800">{t('common.shownOnce')}</p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <code data-testid="secret" className="break-all rounded bg-white px-2 py-1 text-sm">
          {value}
        </code>
        <Button
          variant="secondary"
          onClick={() => {
            void navigator.clipboard?.writeText(value).catch(() => {});
            setCopied(true);
          }}
        >
          {copied ? t('common.copied') : t('common.copy')}
        </Button>
      </div>
    </div>
  );
}

export function Badge({ children, tone = 'slate' }: { children: ReactNode; tone?: 'slate' | 'green' | 'red' | 'amber' | 'indigo' }) {
  const tones = {
    slate: 'bg-slate-100 text-slate-700',
    green: 'bg-green-100 text-green-800',
    red: 'bg-red-100 text-red-800',
    amber: 'bg-amber-100 text-amber-800',
    indigo: 'bg-indigo-100 text-indigo-800',
  };
  return <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${tones[tone]}`}>{children}</span>;
}

/**
 * A form whose submit runs `onSubmit(data, form)`: the default action is prevented, the error
 * is cleared first, and anything thrown is handed to `onError` for an <ErrorNote>. While it
 * runs the controls are disabled (a second click cannot send it twice) and the form is busy.
 */
export function SubmitForm({
  onSubmit,
  onError,
  children,
  label,
}: {
  onSubmit: (data: FormData, form: HTMLFormElement) => Promise<void>;
  onError: (error: Error | null) => void;
  children: ReactNode;
  /** The form's accessible name. */
  label?: string;
}) {
  const [pending, setPending] = useState(false);
  return (
    <form
      className="flex flex-col gap-3"
      aria-label={label}
      aria-busy={pending || undefined}
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const data = new FormData(form);
        onError(null);
        setPending(true);
        try {
          await onSubmit(data, form);
        } catch (err) {
          onError(err as Error);
        } finally {
          setPending(false);
        }
      }}
    >
      <fieldset disabled={pending} className="contents">
        {children}
      </fieldset>
    </form>
  );
}

/**
 * A modal confirmation (native <dialog>: focus moves in and stays there, Escape cancels). The
 * confirm button shows progress while `onConfirm` runs; an error stays in the dialog.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useApp();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setError(null);
      d.showModal();
    }
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      onClose={onClose}
      className="m-auto w-full max-w-md rounded-lg border border-slate-200 bg-white p-5 shadow-xl backdrop:bg-slate-900/40"
    >
      <h2 id={`${id}-title`} className="mb-2 text-base font-semibold text-slate-900">
        {title}
      </h2>
      <div id={`${id}-body`} className="mb-4 text-sm text-slate-700">
        {children}
      </div>
      {error ? <ErrorNote error={error} /> : null}
      <div className="mt-4 flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose} disabled={busy}>
          {t('common.cancel')}
        </Button>
        <Button
          variant="danger"
          disabled={busy}
          aria-busy={busy || undefined}
          onClick={async () => {
            setBusy(true);
            setError(null);
            try {
              await onConfirm();
            } catch (err) {
              setError(err as Error);
            } finally {
              setBusy(false);
            }
          }}
        >
          {busy ? t('common.working') : confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}

/** The footer of a settings form: the last error, a "saved" status, and the Save button. */
export function SaveBar({ error, saved }: { error: Error | null; saved: boolean }) {
  const { t } = useApp();
  return (
    <div className="sm:col-span-2">
      {error ? <ErrorNote error={error} /> : null}
      {saved ? (
        <p role="status" className="mb-2 text-sm text-green-700">
          {t('common.saved')}
        </p>
      ) : null}
      <Button type="submit">{t('common.save')}</Button>
    </div>
  );
}
