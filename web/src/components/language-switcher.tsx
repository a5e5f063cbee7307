'use client';
import { useRouter } from 'next/navigation';
import { useId } from 'react';
import { LOCALE_COOKIE, type Locale } from '@/i18n';
import { useApp } from './providers';

/** Remembers the choice in a cookie for a year; the server renders the next page in it. */
export function LanguageSwitcher() {
  const { locale, t } = useApp();
  const router = useRouter();
  const id = useId();
  return (
    <div className="flex items-center gap-2 text-sm">
      <label htmlFor={id} className="sr-only text-slate-600 sm:not-sr-only">
        {t('lang.label')}
      </label>
      <select
        id={id}
        value={locale}
        className="rounded-md border border-slate-300 bg-white px-2 py-1"
        onChange={(e) => {
          const next = e.target.value as Locale;
          document.cookie = `${LOCALE_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
          router.refresh();
        }}
      >
        <option value="en">English</option>
        <option value="zh-CN">简体中文</option>
      </select>
    </div>
  );
}
