/**
 * The form names are searched in: lower case, accents and ligatures folded, so "beton",
 * "BÉTON" and "Béton" find each other on both stores (SQLite's lower() folds ASCII only).
 */
export function searchKey(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/œ/gi, 'oe').replace(/æ/gi, 'ae').replace(/ß/g, 'ss').toLowerCase();
}
