import { localDate } from '../shared/calendar.ts';
import { divRoundHalfUp } from '../shared/money.ts';

/**
 * Locale formatting of what invoices show, in exact integer arithmetic (never a float for an
 * amount). French follows Quebec usage: "1 234,56 $", "9,975 %", "3 mars 2026"; English
 * follows Canadian English: "$1,234.56", "9.975%", "March 3, 2026".
 */
export type Language = 'fr' | 'en';

/** The French thousands separator and the space before "$" and "%": U+00A0 NO-BREAK SPACE (as CLDR fr-CA). */
export const NBSP = '\u00A0';

const SYMBOLS: Record<string, string> = { CAD: '$' };

/** Integer cents as money: fr 123456 → "1 234,56 $" (U+00A0 spaces), en → "$1,234.56"; -500 → "-5,00 $" / "-$5.00". */
export function formatMoney(cents: number | bigint, language: Language, currency = 'CAD'): string {
  if (typeof cents === 'number' && !Number.isSafeInteger(cents)) throw new RangeError(`amount must be whole cents, got ${cents}`);
  const n = BigInt(cents);
  const abs = n < 0n ? -n : n;
  const sign = n < 0n ? '-' : '';
  const whole = group((abs / 100n).toString(), language);
  const frac = (abs % 100n).toString().padStart(2, '0');
  const symbol = SYMBOLS[currency];
  if (language === 'fr') return `${sign}${whole},${frac}${NBSP}${symbol ?? currency}`;
  return symbol ? `${sign}${symbol}${whole}.${frac}` : `${sign}${currency}${NBSP}${whole}.${frac}`;
}

/** An exact percent text ('9.975', '5') as a rate: fr "9,975 %" (U+00A0 before %), en "9.975%". */
export function formatRate(ratePercent: string, language: Language): string {
  if (!/^\d+(\.\d+)?$/.test(ratePercent)) throw new RangeError(`rate must be an exact percent, got ${JSON.stringify(ratePercent)}`);
  return language === 'fr' ? `${ratePercent.replace('.', ',')}${NBSP}%` : `${ratePercent}%`;
}

/** An exact decimal quantity text ('1250.5') per locale: fr "1 250,5", en "1,250.5". */
export function formatQuantity(quantity: string, language: Language): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(quantity);
  if (!m) return quantity; // not a plain decimal: show it as written rather than guess
  const frac = m[3] ? (language === 'fr' ? ',' : '.') + m[3] : '';
  return m[1] + group(m[2], language) + frac;
}

const MONTHS: Record<Language, string[]> = {
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** Default zone for instants when the caller gives none: most clients are in Quebec or Ontario. */
export const DEFAULT_TIME_ZONE = 'America/Toronto';

/**
 * A calendar date 'YYYY-MM-DD' (taken as is) or an ISO instant (its local date in `timeZone`):
 * fr "3 mars 2026" ("1er mars 2026" on the first), en "March 3, 2026".
 */
export function formatDate(iso: string, language: Language, timeZone = DEFAULT_TIME_ZONE): string {
  const [y, m, d] = calendarDateOf(iso, timeZone).split('-').map(Number);
  const month = MONTHS[language][m - 1];
  if (language === 'fr') return `${d === 1 ? '1er' : d} ${month} ${y}`;
  return `${month} ${d}, ${y}`;
}

function calendarDateOf(iso: string, timeZone: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) {
    const t = Date.parse(`${iso}T00:00:00Z`);
    if (!Number.isNaN(t) && new Date(t).toISOString().startsWith(iso)) return iso;
  } else {
    const t = Date.parse(iso);
    if (!Number.isNaN(t) && /^\d{4}-\d{2}-\d{2}T/.test(iso)) {
      return localDate(new Date(t), timeZone);
    }
  }
  throw new RangeError(`not an ISO date: ${JSON.stringify(iso)}`);
}

const SIZE_UNITS: Record<Language, string[]> = { fr: ['o', 'Ko', 'Mo', 'Go'], en: ['B', 'KB', 'MB', 'GB'] };

/** A byte count with one decimal in binary units: fr "1,5 Mo", en "1.5 MB"; bytes stay whole ("512 o"). */
export function formatBytes(size: number, language: Language): string {
  let unit = 0;
  let scale = 1n;
  const n = BigInt(Math.max(0, Math.trunc(size)));
  while (unit < 3 && n >= scale * 1024n) {
    scale *= 1024n;
    unit++;
  }
  const label = SIZE_UNITS[language][unit];
  if (unit === 0) return `${n}${NBSP}${label}`;
  const tenths = divRoundHalfUp(n * 10n, scale);
  const text = `${group((tenths / 10n).toString(), language)}${language === 'fr' ? ',' : '.'}${tenths % 10n}`;
  return `${text}${NBSP}${label}`;
}

function group(digits: string, language: Language): string {
  const sep = language === 'fr' ? NBSP : ',';
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}
