// An API problem in words: the message by the problem's `code` in the user's language.
import type { MessageKey, Translate } from '@/i18n';
import { ApiError } from './api';

export const PROBLEM_CODES = [
  'validation_failed',
  'business_rule',
  'conflict',
  'not_found',
  'forbidden',
  'rate_limited',
  'limit_exceeded',
  'idempotency_conflict',
  'unauthenticated',
] as const;

/** An API problem in the user's language, by its `code` (the English detail only in en). */
export function problemText(t: Translate, locale: string, err: Error): string {
  if (err instanceof ApiError && (PROBLEM_CODES as readonly string[]).includes(err.code)) {
    const base = t(`problem.${err.code}` as MessageKey);
    return locale === 'en' && err.message ? `${base} ${err.message}` : base;
  }
  return t('problem.other');
}

