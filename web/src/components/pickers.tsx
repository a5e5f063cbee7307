'use client';
// Pickers for what a setting names by code (a coupon template, a tier): the merchant chooses
// from what the API holds instead of typing a code. Each reads its list through the query
// cache (`keys.couponTemplates()`, `keys.tiers()`), so a template added on the coupons page is
// offered at once. A value the list no longer holds (an archived template, a removed tier) is
// kept as an option marked as such, so a save from the form never drops it silently.
import { useId } from 'react';
import { unwrap } from '@/lib/api';
import { keys, useApiQuery } from '@/lib/query';
import { useApp } from './providers';
import { Skeleton } from './data-ui';
import { DISABLED, ErrorNote } from './ui';
import { pickerOptions, type PickerOption } from '@/lib/picker-options';

export { pickerOptions, type PickerOption };

/** The active coupon templates as options ("Welcome ¥5 · WELCOME5"). */
export function useTemplateOptions() {
  const { api } = useApp();
  const q = useApiQuery(keys.couponTemplates(), () => unwrap(api.GET('/v1/coupon-templates', { params: { query: { limit: 200 } } })));
  const options: PickerOption[] | undefined = q.data?.data.filter((x) => !x.archivedAt).map((x) => ({ value: x.code, label: `${x.name} · ${x.code}` }));
  return { ...q, options };
}

/** The ladder's tiers in rank order as options. */
export function useTierOptions() {
  const { api } = useApp();
  const q = useApiQuery(keys.tiers(), () => unwrap(api.GET('/v1/tiers')));
  const options: PickerOption[] | undefined = q.data
    ? [...q.data.data].sort((a, b) => a.rank - b.rank).map((x) => ({ value: x.code, label: x.name }))
    : undefined;
  return { ...q, options };
}

interface SelectProps {
  label: string;
  name: string;
  /** The stored code ('' or null: none). */
  defaultValue: string | null | undefined;
  /** The choice meaning "none" ("No coupon", "No trial"); without it a value is required. */
  noneLabel?: string;
  hint?: string;
  disabled?: boolean;
}

interface OptionSource {
  options: PickerOption[] | undefined;
  error: Error | null;
  refetch: () => unknown;
}

function CodeSelect({ label, name, defaultValue, noneLabel, hint, disabled, source }: SelectProps & { source: OptionSource }) {
  const { t } = useApp();
  const id = useId();
  if (source.error && !source.options) return <ErrorNote error={source.error} onRetry={() => void source.refetch()} />;
  if (!source.options) return <Skeleton rows={2} />;
  const options = pickerOptions(source.options, [defaultValue ?? ''], (c) => t('pickers.missing', { code: c }));
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <select
        id={id}
        name={name}
        defaultValue={defaultValue ?? ''}
        disabled={disabled}
        aria-describedby={hint ? `${id}-hint` : undefined}
        className={`rounded-md border border-slate-300 bg-white px-3 py-2 text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200 ${DISABLED}`}
      >
        {noneLabel ? <option value="">{noneLabel}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** One coupon template, chosen by name (sent as its code). */
export function TemplateSelect(props: SelectProps) {
  const source = useTemplateOptions();
  return <CodeSelect {...props} source={source} />;
}

/** One tier of the ladder, chosen by name (sent as its code). */
export function TierSelect(props: SelectProps) {
  const source = useTierOptions();
  return <CodeSelect {...props} source={source} />;
}

/**
 * Several coupon templates (a welcome pack): one checkbox each, every checked one sent under
 * `name` (read with `FormData.getAll(name)`), at most `max`.
 */
export function TemplateChecklist({
  label,
  name,
  defaultValue,
  hint,
  disabled,
  max,
}: {
  label: string;
  name: string;
  defaultValue: readonly string[];
  hint?: string;
  disabled?: boolean;
  max?: number;
}) {
  const { t } = useApp();
  const source = useTemplateOptions();
  const id = useId();
  if (source.error && !source.options) return <ErrorNote error={source.error} onRetry={() => void source.refetch()} />;
  if (!source.options) return <Skeleton rows={2} />;
  const options = pickerOptions(source.options, defaultValue, (c) => t('pickers.missing', { code: c }));
  return (
    <fieldset className="flex min-w-0 flex-col gap-1" aria-describedby={hint ? `${id}-hint` : undefined} disabled={disabled}>
      <legend className="mb-1 text-sm font-medium text-slate-700">{label}</legend>
      {options.length === 0 ? <p className="text-sm text-slate-500">{t('pickers.noTemplates')}</p> : null}
      <div className={`max-h-48 flex-col gap-1 overflow-y-auto rounded-md border border-slate-200 p-2 ${options.length ? 'flex' : 'hidden'}`}>
        {options.map((o) => (
          <label key={o.value} className={`flex items-center gap-2 text-sm ${disabled ? 'cursor-not-allowed text-slate-500' : 'text-slate-800'}`}>
            <input type="checkbox" name={name} value={o.value} defaultChecked={defaultValue.includes(o.value)} className="disabled:cursor-not-allowed" />
            <span className="min-w-0 break-words">{o.label}</span>
          </label>
        ))}
      </div>
      {hint || max ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {[hint, max ? t('pickers.atMost', { n: max }) : null].filter(Boolean).join(' ')}
        </p>
      ) : null}
    </fieldset>
  );
}
