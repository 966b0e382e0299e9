// The UI language: a provider holding the locale and a `useT()` hook returning t(key, values).
// Logged in, it is the account's language (PATCH /auth/me changes it, on every browser); before
// login, the last language chosen on this browser, or the browser's own.
import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import { en, type MessageKey } from './en.ts';
import { zhCN } from './zh-CN.ts';

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' };
const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

export const isLocale = (value: unknown): value is Locale => typeof value === 'string' && (LOCALES as readonly string[]).includes(value);

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export function translate(locale: Locale, key: MessageKey, values?: Record<string, string | number>): string {
  const text = dictionaries[locale][key];
  return values ? text.replace(/\{(\w+)\}/g, (all, name: string) => (name in values ? String(values[name]) : all)) : text;
}

const storageKey = 'deskline.locale';

/** The language last chosen on this browser (for the login page), if any. */
export function rememberedLocale(): Locale | undefined {
  try {
    const stored = localStorage.getItem(storageKey);
    return isLocale(stored) ? stored : undefined;
  } catch {
    return undefined; // storage disabled: the browser's language
  }
}

export function rememberLocale(locale: Locale): void {
  try {
    localStorage.setItem(storageKey, locale);
  } catch {
    // storage disabled: the login page opens in the browser's language
  }
}

export const browserLocale = (): Locale => (navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en');

interface I18n { locale: Locale; setLocale: (locale: Locale) => void; t: Translate }
const I18nContext = createContext<I18n | undefined>(undefined);

export function I18nProvider({ locale, setLocale, children }: { locale: Locale; setLocale: (locale: Locale) => void; children: ReactNode }) {
  const t = useCallback<Translate>((key, values) => translate(locale, key, values), [locale]);
  const value = useMemo(() => ({ locale, setLocale, t }), [locale, setLocale, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}

export const useT = (): Translate => useI18n().t;
