import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { commonMessages } from './common-messages.ts';

/** The app's two languages; fr-CA is the default. */
export const LOCALES = ['fr-CA', 'en'] as const;
export type AppLocale = (typeof LOCALES)[number];

/** A message catalogue: fr-CA first, then en (plurals as `key_one` / `key_other`). */
export type Catalogue = Record<AppLocale, Record<string, unknown>>;

const STORAGE_KEY = 'chantier.locale';

export function storedLocale(userId?: string): AppLocale | null {
  try {
    const v = (userId && localStorage.getItem(`${STORAGE_KEY}.${userId}`)) || localStorage.getItem(STORAGE_KEY);
    return v === 'en' || v === 'fr-CA' ? v : null;
  } catch {
    return null;
  }
}

/** Switches the language now and remembers it for this person (and as this browser's default). */
export function setLocale(locale: AppLocale, userId?: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
    if (userId) localStorage.setItem(`${STORAGE_KEY}.${userId}`, locale);
  } catch {
    // private mode: the switch still holds for this page
  }
  void i18next.changeLanguage(locale);
}

/** Adds a screen family's catalogue under its namespace (families load lazily and register themselves). */
export function registerMessages(ns: string, catalogue: Catalogue): void {
  for (const lng of LOCALES) i18next.addResourceBundle(lng, ns, catalogue[lng], true, true);
}

export function initI18n(): typeof i18next {
  void i18next.use(initReactI18next).init({
    lng: storedLocale() ?? 'fr-CA',
    fallbackLng: 'fr-CA',
    supportedLngs: [...LOCALES],
    defaultNS: 'common',
    ns: ['common'],
    resources: { 'fr-CA': { common: commonMessages['fr-CA'] }, en: { common: commonMessages.en } },
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
  i18next.on('languageChanged', (lng) => document.documentElement.setAttribute('lang', lng === 'en' ? 'en-CA' : 'fr-CA'));
  document.documentElement.setAttribute('lang', i18next.language === 'en' ? 'en-CA' : 'fr-CA');
  return i18next;
}
