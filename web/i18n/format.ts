import { useTranslation } from 'react-i18next';

/** The Intl locale of an app language: money `1 234,56 $` in French, `$1,234.56` in English. */
export const intlLocaleOf = (lng: string): string => (lng.startsWith('en') ? 'en-CA' : 'fr-CA');

// Building an Intl formatter costs far more than using one: keep one per locale and option set.
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = cache.get(key);
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f as T;
}

export function formatMoney(cents: number, lng: string, currency = 'CAD'): string {
  const loc = intlLocaleOf(lng);
  return cached(`m|${loc}|${currency}`, () => new Intl.NumberFormat(loc, { style: 'currency', currency })).format(cents / 100);
}

/** `29 novembre 2026` / `November 29, 2026`. */
export function formatDate(iso: string | null | undefined, lng: string): string {
  if (!iso) return '';
  const loc = intlLocaleOf(lng);
  return cached(`d|${loc}`, () => new Intl.DateTimeFormat(loc, { dateStyle: 'long' })).format(new Date(iso));
}

export function formatDateTime(iso: string | null | undefined, lng: string): string {
  if (!iso) return '';
  const loc = intlLocaleOf(lng);
  return cached(`dt|${loc}`, () => new Intl.DateTimeFormat(loc, { dateStyle: 'medium', timeStyle: 'short' })).format(new Date(iso));
}

/** A decimal quantity text ("6.5") in the person's locale ("6,5"). */
export function formatQuantity(text: string, lng: string): string {
  const [whole, frac] = text.split('.');
  const loc = intlLocaleOf(lng);
  const w = cached(`n|${loc}`, () => new Intl.NumberFormat(loc)).format(Number(whole));
  return frac ? `${w}${lng.startsWith('en') ? '.' : ','}${frac}` : w;
}

/** A rate text ("9.975") as `9,975 %` / `9.975%`. */
export function formatPercent(text: string, lng: string): string {
  return lng.startsWith('en') ? `${text}%` : `${text.replace('.', ',')} %`;
}

/** The formatters bound to the current language. */
export function useFormat() {
  const { i18n } = useTranslation();
  const lng = i18n.language;
  return {
    lng,
    money: (cents: number, currency?: string) => formatMoney(cents, lng, currency),
    date: (iso: string | null | undefined) => formatDate(iso, lng),
    dateTime: (iso: string | null | undefined) => formatDateTime(iso, lng),
    quantity: (text: string) => formatQuantity(text, lng),
    percent: (text: string) => formatPercent(text, lng),
  };
}
