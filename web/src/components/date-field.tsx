'use client';
// Date and time fields that read in the user's language. A native <input type="date"> shows
// the browser's own order (mm/dd/yyyy on an English browser even on a zh-CN page), so the box
// here is text in the page's order — 2026/12/02 in zh-CN, 2026-12-02 in en — with the native
// calendar behind a button; the value given to the form is always YYYY-MM-DD (and HH:mm).
import { useEffect, useId, useRef, useState } from 'react';
import { displayDate, parseDateText, parseTimeText } from '@/lib/dates';
import { useApp } from './providers';
import { Icon } from './data-ui';

interface DateFieldProps {
  label: string;
  /** The form field the YYYY-MM-DD value is sent as (a hidden input). */
  name?: string;
  /** Controlled: the YYYY-MM-DD value ('' when empty) and its change. */
  value?: string;
  onChange?: (iso: string) => void;
  defaultValue?: string;
  min?: string | undefined;
  max?: string | undefined;
  required?: boolean;
  hint?: string;
}

/** A date in the page's language order, typed or picked; sent as YYYY-MM-DD. */
export function DateField({ label, name, value, onChange, defaultValue = '', min, max, required, hint }: DateFieldProps) {
  const { t, locale } = useApp();
  const id = useId();
  const controlled = value !== undefined;
  const [iso, setIso] = useState(controlled ? value : defaultValue);
  const [text, setText] = useState(displayDate(controlled ? value : defaultValue, locale));
  const [bad, setBad] = useState<string | null>(null);
  const box = useRef<HTMLInputElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  // A new value from outside (a preset, a reset) replaces what the box shows.
  useEffect(() => {
    if (controlled && value !== iso) {
      setIso(value);
      setText(displayDate(value, locale));
      setBad(null);
    }
  }, [value]);
  useEffect(() => box.current?.setCustomValidity(bad ?? ''), [bad]);

  const commit = (next: string) => {
    setIso(next);
    onChange?.(next);
  };
  const typed = (s: string) => {
    setText(s);
    if (s.trim() === '') {
      setBad(null);
      return commit('');
    }
    const p = parseDateText(s);
    if (!p) return setBad(t('date.invalid'));
    if ((min && p < min) || (max && p > max)) return setBad(t('date.outOfRange', { min: displayDate(min ?? '', locale), max: displayDate(max ?? '', locale) }));
    setBad(null);
    commit(p);
  };
  const described = [hint ? `${id}-hint` : '', bad ? `${id}-err` : ''].filter(Boolean).join(' ');
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <div
        className={`relative flex items-center rounded-md border bg-white focus-within:ring-2 ${bad ? 'border-red-400 focus-within:ring-red-200' : 'border-slate-300 focus-within:border-indigo-500 focus-within:ring-indigo-200'}`}
      >
        <input
          ref={box}
          id={id}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          placeholder={t('date.placeholder')}
          value={text}
          required={required}
          aria-invalid={bad ? true : undefined}
          aria-describedby={described || undefined}
          onChange={(e) => typed(e.target.value)}
          onBlur={() => !bad && iso && setText(displayDate(iso, locale))}
          className="w-full min-w-0 rounded-md bg-transparent px-3 py-2 text-sm focus:outline-none"
        />
        {/* The browser's calendar, opened by the button; its own box is never shown. */}
        <input
          ref={picker}
          type="date"
          tabIndex={-1}
          aria-hidden="true"
          value={iso}
          min={min}
          max={max}
          onChange={(e) => {
            setText(displayDate(e.target.value, locale));
            setBad(null);
            commit(e.target.value);
          }}
          className="pointer-events-none absolute bottom-0 right-0 h-0 w-0 opacity-0"
        />
        <button
          type="button"
          aria-label={t('date.pick')}
          onClick={() => picker.current?.showPicker?.()}
          className="px-2 text-slate-500 hover:text-slate-800"
        >
          <Icon name="calendar" className="h-4 w-4" />
        </button>
      </div>
      {name ? <input type="hidden" name={name} value={bad ? '' : iso} /> : null}
      {bad ? (
        <p id={`${id}-err`} className="text-xs text-red-600">
          {bad}
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

/**
 * A date and a 24-hour time (what a datetime-local box holds), sent under `name` as
 * YYYY-MM-DDTHH:mm in the browser's zone; empty when either part is.
 */
export function DateTimeField({ label, name, required, hint }: { label: string; name: string; required?: boolean; hint?: string }) {
  const { t } = useApp();
  const id = useId();
  const [date, setDate] = useState('');
  const [time, setTime] = useState('');
  const [timeText, setTimeText] = useState('');
  const [bad, setBad] = useState(false);
  const timeBox = useRef<HTMLInputElement>(null);
  useEffect(() => timeBox.current?.setCustomValidity(bad ? t('date.invalidTime') : ''), [bad]);
  return (
    <fieldset className="flex min-w-0 flex-col gap-1">
      <legend className="sr-only">{label}</legend>
      <div className="grid grid-cols-[minmax(0,3fr)_minmax(0,2fr)] items-end gap-2">
        <DateField label={label} value={date} onChange={setDate} required={required} />
        <div className="flex min-w-0 flex-col gap-1">
          <label htmlFor={id} className="text-sm font-medium text-slate-700">
            {t('date.time')}
          </label>
          <input
            ref={timeBox}
            id={id}
            type="text"
            inputMode="numeric"
            autoComplete="off"
            placeholder="HH:mm"
            aria-label={t('date.timeOf', { field: label })}
            required={required}
            value={timeText}
            aria-invalid={bad ? true : undefined}
            onChange={(e) => {
              const s = e.target.value;
              setTimeText(s);
              const p = s.trim() === '' ? '' : parseTimeText(s);
              setBad(p === null);
              setTime(p ?? '');
            }}
            className={`rounded-md border bg-white px-3 py-2 text-sm focus:outline-none focus:ring-2 ${bad ? 'border-red-400 focus:ring-red-200' : 'border-slate-300 focus:border-indigo-500 focus:ring-indigo-200'}`}
          />
        </div>
      </div>
      {bad ? <p className="text-xs text-red-600">{t('date.invalidTime')}</p> : null}
      {hint ? <p className="text-xs text-slate-500">{hint}</p> : null}
      <input type="hidden" name={name} value={date && time ? `${date}T${time}` : ''} />
    </fieldset>
  );
}
