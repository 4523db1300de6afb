/** Money for people, in the email's language: fr "1 234,56 $", en "$1,234.56" (exact: no float). */
export function formatMoney(cents: number, currency: string, language: 'fr' | 'en'): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const decimal = `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  const format = new Intl.NumberFormat(language === 'fr' ? 'fr-CA' : 'en-CA', { style: 'currency', currency });
  // Intl formats a decimal string exactly (no binary float in between).
  return format.format(decimal as unknown as number);
}

/** A file size for people: fr "2,1 Mo", en "2.1 MB". */
export function formatSize(bytes: number, language: 'fr' | 'en'): string {
  const units = language === 'fr' ? ['o', 'ko', 'Mo', 'Go'] : ['B', 'KB', 'MB', 'GB'];
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u += 1;
  }
  const text = new Intl.NumberFormat(language === 'fr' ? 'fr-CA' : 'en-CA', { maximumFractionDigits: u === 0 ? 0 : 1 }).format(n);
  return `${text} ${units[u]}`;
}
