import { crc32, inflateSync } from 'node:zlib';

/** Photos larger than this are listed without a thumbnail (PDFKit embeds the whole file, it cannot downscale). */
export const MAX_THUMBNAIL_BYTES = 8 * 1024 * 1024;
/** PNGs with alpha are decoded to pixels by PDFKit: cap the pixels so one photo cannot take gigabytes. */
export const MAX_PNG_PIXELS = 16_000_000;

export type ThumbnailKind = 'png' | 'jpeg';

/** 'png' or 'jpeg' when the media type is one PDFKit can embed, else null. */
export function thumbnailKind(mediaType: string): ThumbnailKind | null {
  const t = mediaType.toLowerCase().split(';')[0].trim();
  if (t === 'image/png') return 'png';
  if (t === 'image/jpeg' || t === 'image/jpg' || t === 'image/pjpeg') return 'jpeg';
  return null;
}

/**
 * True when PDFKit can embed `bytes` without failing. PDFKit decodes some PNGs (alpha,
 * interlaced, palette transparency) in an asynchronous zlib callback, where a corrupt file
 * throws an uncaught exception and kills the process: so a PNG is checked fully here
 * (chunk CRCs, header, inflated size, row filters) before PDFKit sees it. A JPEG's header is
 * parsed synchronously by PDFKit and its scan data is passed through, so a header check suffices.
 */
export function isEmbeddable(kind: ThumbnailKind, bytes: Uint8Array): boolean {
  try {
    return kind === 'png' ? isValidPng(bytes) : isPlausibleJpeg(bytes);
  } catch {
    return false;
  }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
// Allowed bit depths per PNG colour type, and channels per pixel.
const DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
// Adam7 passes: x start, y start, x step, y step.
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

function isValidPng(b: Uint8Array): boolean {
  if (b.length < 8 || PNG_SIGNATURE.some((v, i) => b[i] !== v)) return false;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let pos = 8;
  let header: { width: number; height: number; depth: number; color: number; interlace: number } | null = null;
  let palette = false;
  let ended = false;
  const idat: Uint8Array[] = [];
  while (pos + 12 <= b.length && !ended) {
    const len = view.getUint32(pos);
    const type = String.fromCharCode(...b.subarray(pos + 4, pos + 8));
    if (pos + 12 + len > b.length) return false;
    const data = b.subarray(pos + 8, pos + 8 + len);
    if (crc32(b.subarray(pos + 4, pos + 8 + len)) >>> 0 !== view.getUint32(pos + 8 + len)) return false;
    if (!header && type !== 'IHDR') return false;
    if (type === 'IHDR') {
      if (header || len !== 13) return false;
      const d = new DataView(data.buffer, data.byteOffset, 13);
      header = { width: d.getUint32(0), height: d.getUint32(4), depth: data[8], color: data[9], interlace: data[12] };
      if (data[10] !== 0 || data[11] !== 0 || header.interlace > 1) return false;
    } else if (type === 'PLTE') palette = len > 0 && len % 3 === 0;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') ended = true;
    pos += 12 + len;
  }
  if (!header || !ended || idat.length === 0) return false;
  const { width, height, depth, color, interlace } = header;
  if (!DEPTHS[color]?.includes(depth) || (color === 3 && !palette)) return false;
  if (width === 0 || height === 0 || width * height > MAX_PNG_PIXELS) return false;

  const bitsPerPixel = depth * CHANNELS[color];
  const passes = interlace ? ADAM7.map(([xs, ys, dx, dy]) => [Math.ceil((width - xs) / dx), Math.ceil((height - ys) / dy)]) : [[width, height]];
  const rows = passes.filter(([w, h]) => w > 0 && h > 0).map(([w, h]) => ({ bytes: 1 + Math.ceil((w * bitsPerPixel) / 8), count: h }));
  const expected = rows.reduce((s, r) => s + r.bytes * r.count, 0);
  const pixels = inflateSync(Buffer.concat(idat), { maxOutputLength: expected + 1 });
  if (pixels.length !== expected) return false;
  let at = 0;
  for (const r of rows) {
    for (let i = 0; i < r.count; i++, at += r.bytes) if (pixels[at] > 4) return false; // filter type 0..4
  }
  return true;
}

function isPlausibleJpeg(b: Uint8Array): boolean {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return false;
  // Walk the segments to a start-of-frame with sane dimensions, as PDFKit will.
  let pos = 2;
  while (pos + 4 <= b.length) {
    if (b[pos] !== 0xff) return false;
    const marker = b[pos + 1];
    const len = (b[pos + 2] << 8) | b[pos + 3];
    if (len < 2 || pos + 2 + len > b.length) return false;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const height = (b[pos + 5] << 8) | b[pos + 6];
      const width = (b[pos + 7] << 8) | b[pos + 8];
      const channels = b[pos + 9];
      return len >= 8 && width > 0 && height > 0 && (channels === 1 || channels === 3 || channels === 4);
    }
    pos += 2 + len;
  }
  return false;
}
