import { formatSize } from './format.ts';

/** The paragraph that lists files left out by the size cap, in the email's language. */
export function notAttachedNote(left: { name: string; size: number }[], maxTotalBytes: number, language: 'fr' | 'en'): string {
  if (left.length === 0) return '';
  const cap = formatSize(maxTotalBytes, language);
  const head =
    language === 'fr'
      ? `Fichiers non joints (taille totale limitée à ${cap}) :`
      : `Files not attached (total size limited to ${cap}):`;
  return `\n\n${head}\n${left.map((f) => `- ${f.name} (${formatSize(f.size, language)})`).join('\n')}\n`;
}
