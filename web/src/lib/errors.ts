// API errors in the user's language: the problem's stable `code` picks the text (the API's
// `detail` is English and for developers; it is kept in English only).
import { ApiError } from './api';
import { enumLabel, hasEnumLabel } from '../i18n/enums';
import type { Locale } from '../i18n';

export interface ErrorText {
  message: string;
  /** Field errors as "field: what is wrong", the field named by the last part of its path. */
  fields: { path: string; field: string; text: string }[];
}

const FIELD_INVALID: Record<Locale, string> = { en: 'invalid value', 'zh-CN': '填写有误' };
const NETWORK: Record<Locale, string> = {
  en: 'The server could not be reached. Check the connection and try again.',
  'zh-CN': '无法连接服务器，请检查网络后重试。',
};

/** What to tell the user about `error` (an ApiError by its code; anything else as a network failure). */
export function describeError(error: Error, locale: Locale): ErrorText {
  if (!(error instanceof ApiError)) return { message: NETWORK[locale], fields: [] };
  const known = hasEnumLabel('ErrorCode', error.code);
  const label = known ? enumLabel(locale, 'ErrorCode', error.code) : enumLabel(locale, 'ErrorCode', error.status >= 500 ? 'internal' : 'business_rule');
  const message = locale === 'en' && error.message && error.code !== 'validation_failed' ? `${label} ${error.message}` : label;
  const fields = error.errors.map((e) => {
    const field = e.path.replace(/^(body|query|params)\.?/, '').split('.').filter(Boolean).pop() ?? e.path;
    return { path: e.path, field, text: locale === 'en' ? e.message : FIELD_INVALID[locale] };
  });
  return { message, fields };
}
