// Test support: render to a temporary file and read it back with poppler-utils (pdftotext,
// pdfinfo, pdfimages). CI installs poppler-utils, so a missing tool fails the test, loudly.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import type { InvoiceDocument } from '../document.ts';
import { renderInvoicePdf, type RenderPdfOptions } from './index.ts';

/** Runs a poppler tool and returns its stdout; rejects naming poppler-utils when the tool is absent. */
export function poppler(tool: 'pdftotext' | 'pdfinfo' | 'pdfimages', args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new Error(`${tool} is missing: install the Debian package poppler-utils (the PDF tests need it)`) : e),
    );
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`${tool} ${args.join(' ')} exited with ${code}: ${Buffer.concat(err).toString('utf8')}`));
    });
  });
}

export interface RenderedPdf {
  path: string;
  bytes(): Promise<Buffer>;
  /** `pdftotext -layout` output, with U+00A0 and U+202F folded to plain spaces (poppler already does). */
  text(): Promise<string>;
  pages(): Promise<number>;
  /** Number of images embedded, from `pdfimages -list`. */
  images(): Promise<number>;
  cleanup(): Promise<void>;
}

/** Renders `doc` to a temporary file. */
export async function renderToFile(doc: InvoiceDocument, opts?: RenderPdfOptions): Promise<RenderedPdf> {
  const dir = await mkdtemp(join(tmpdir(), 'chantier-pdf-'));
  const path = join(dir, 'invoice.pdf');
  await renderInvoicePdf(doc, createWriteStream(path), opts);
  return {
    path,
    bytes: () => readFile(path),
    text: async () => (await poppler('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-'])).replace(/[\u00a0\u202f]/g, ' '),
    pages: async () => Number(/^Pages:\s+(\d+)/m.exec(await poppler('pdfinfo', [path]))?.[1]),
    images: async () => (await poppler('pdfimages', ['-list', path])).trim().split('\n').length - 2,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * The text of each PDFKit text run (one `TJ` operator, i.e. one string drawn at once), decoded
 * through the fonts' ToUnicode maps. pdftotext folds U+00A0 into a plain space; this does not,
 * so a test can tell "1 234,56 $" written with no-break spaces from one with breakable spaces.
 * Knows only what PDFKit writes (Identity-H fonts, `[<ffff> kern <ffff>] TJ`, deflated streams).
 */
export function pdfTextRuns(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const dicts = new Map<string, string>();
  const streams = new Map<string, Buffer>();
  for (const m of raw.matchAll(/(\d+) 0 obj\s*<<([\s\S]*?)\n>>\s*(stream\r?\n)?/g)) {
    dicts.set(m[1], m[2]);
    if (!m[3]) continue;
    const start = m.index + m[0].length;
    try {
      streams.set(m[1], inflateSync(pdf.subarray(start, raw.indexOf('endstream', start))));
    } catch {
      // not deflated (e.g. an embedded JPEG): holds no text
    }
  }
  const fonts = new Map<string, Map<number, string>>();
  for (const [, name, id] of raw.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
    const cmapId = /\/ToUnicode (\d+) 0 R/.exec(dicts.get(id) ?? '')?.[1];
    const cmap = cmapId ? streams.get(cmapId)?.toString('latin1') : undefined;
    if (!cmap || fonts.has(name)) continue;
    const map = new Map<number, string>();
    for (const [, lo, list] of cmap.matchAll(/<([0-9a-fA-F]+)>\s*<[0-9a-fA-F]+>\s*\[([^\]]*)\]/g)) {
      // A ligature maps to several code units, written with spaces: <0066 0069> for "fi".
      [...list.matchAll(/<([0-9a-fA-F\s]+)>/g)].forEach(([, u], i) => {
        map.set(parseInt(lo, 16) + i, utf16(u.replace(/\s/g, '')));
      });
    }
    fonts.set(name, map);
  }
  const runs: string[] = [];
  for (const content of streams.values()) {
    let font: Map<number, string> | undefined;
    for (const m of content.toString('latin1').matchAll(/\/(F\d+) [\d.]+ Tf|\[([^\]]*)\] TJ/g)) {
      if (m[1]) font = fonts.get(m[1]);
      else if (font)
        runs.push(
          [...m[2].matchAll(/<([0-9a-fA-F]*)>/g)]
            .map(
              ([, hex]) =>
                hex
                  .match(/.{4}/g)
                  ?.map((g) => font!.get(parseInt(g, 16)) ?? '\ufffd')
                  .join('') ?? '',
            )
            .join(''),
        );
    }
  }
  return runs;
}

function utf16(hex: string): string {
  const units = hex.match(/.{4}/g)?.map((u) => parseInt(u, 16)) ?? [];
  return String.fromCharCode(...units);
}
