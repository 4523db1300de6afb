// Test support: render to a temporary file and read it back with poppler-utils (pdftotext,
// pdfinfo, pdfimages). CI installs poppler-utils, so a missing tool fails the test, loudly.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
