import { useTranslation } from 'react-i18next';

/** The Intl locale of an app language: money `1 234,56 $` in French, `$1,234.56` in English. */
export const intlLocaleOf = (lng: string): string => (lng.startsWith('en') ? 'en-CA' : 'fr-CA');

export function formatMoney(cents: number, lng: string, currency = 'CAD'): string {
  return new Intl.NumberFormat(intlLocaleOf(lng), { style: 'currency', currency }).format(cents / 100);
}

/** `29 novembre 2026` / `November 29, 2026`. */
export function formatDate(iso: string | null | undefined, lng: string): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(intlLocaleOf(lng), { dateStyle: 'long' }).format(new Date(iso));
}

export function formatDateTime(iso: string | null | undefined, lng: string): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(intlLocaleOf(lng), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** A decimal quantity text ("6.5") in the person's locale ("6,5"). */
export function formatQuantity(text: string, lng: string): string {
  const [whole, frac] = text.split('.');
  const w = new Intl.NumberFormat(intlLocaleOf(lng)).format(Number(whole));
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
