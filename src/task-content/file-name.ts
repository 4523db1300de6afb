import { create as createContentDisposition } from 'content-disposition';

/** Longest file name kept, in characters (code points). */
export const MAX_FILE_NAME = 255;

// C0/C1 controls, and bidi overrides/isolates that can make "exe.png" display as "png.exe".
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A client's file name made safe to store and show: no folder parts, no control characters,
 * at most 255 characters; 'file' when nothing is left.
 */
export function sanitizeFileName(raw: string | undefined): string {
  const base = (raw ?? '').normalize('NFC').replace(UNSAFE_CHARS, '').split(/[/\\]/).pop() ?? '';
  const trimmed = base.trim();
  if (trimmed === '' || /^\.+$/.test(trimmed)) return 'file';
  const chars = Array.from(trimmed);
  if (chars.length <= MAX_FILE_NAME) return trimmed;
  // Keep the extension when cutting: "long….png" stays a .png.
  const dot = trimmed.lastIndexOf('.');
  const ext = dot > 0 ? Array.from(trimmed.slice(dot)) : [];
  if (ext.length > 0 && ext.length <= 16) return chars.slice(0, MAX_FILE_NAME - ext.length).join('') + ext.join('');
  return chars.slice(0, MAX_FILE_NAME).join('');
}

/** Media types a browser may show in place; everything else (HTML, SVG, text…) only downloads. */
export function mayShowInline(mediaType: string): boolean {
  if (mediaType === 'application/pdf') return true;
  return mediaType.startsWith('image/') && !mediaType.includes('svg');
}

/**
 * A Content-Disposition header (RFC 6266) that cannot be broken by the name: an ASCII-only
 * quoted fallback for old clients, and the real name as `filename*=UTF-8''…` when it is not
 * plain ASCII. The `content-disposition` package does the quoting and encoding.
 */
export function contentDisposition(fileName: string, mediaType: string): string {
  const type = mayShowInline(mediaType) ? 'inline' : 'attachment';
  return createContentDisposition(fileName, { type, fallback: asciiFallback(fileName) });
}

function asciiFallback(name: string): string {
  const plain = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return plain.trim() || 'file';
}
