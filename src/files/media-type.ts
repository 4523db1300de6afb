import { fileTypeFromBuffer } from 'file-type';

export const SNIFF_BYTES = 8192;

/**
 * The media type from the bytes themselves, never from the client's word. Text that is
 * valid UTF-8 without control bytes is text/plain; anything unrecognised is octet-stream.
 */
export async function detectMediaType(head: Buffer): Promise<string> {
  const found = await fileTypeFromBuffer(head);
  if (found) return found.mime;
  if (head.length > 0 && looksLikeText(head)) return 'text/plain';
  return 'application/octet-stream';
}

function looksLikeText(buf: Buffer): boolean {
  // Drop a possibly cut multi-byte sequence at the end of the sample.
  let end = buf.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    if ((buf[end - i] & 0xc0) === 0xc0) {
      end -= i;
      break;
    }
    if ((buf[end - i] & 0x80) === 0) break;
  }
  const sample = buf.subarray(0, end);
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample);
  } catch {
    return false;
  }
  for (const b of sample) if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) return false;
  return true;
}

export const isPhoto = (mediaType: string) => mediaType.startsWith('image/');
