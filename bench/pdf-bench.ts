// Invoice PDF rendering: time, peak RSS and peak heap for N-line invoices rendered into a
// stream that discards the bytes. Run: `npx tsx bench/pdf-bench.ts [--json] [lines…]` (default
// 1000 10000; --json prints one JSON result per line: `npm run bench` reads it).
// Run each size in a fresh process for an honest peak RSS: `benchPdf` itself is importable.
// With `node --expose-gc --import tsx bench/pdf-bench.ts` it also reports the heap still live
// after a full GC near the end: flat from 1,000 to 30,000 lines when rendering is bounded.
import { Writable } from 'node:stream';
import { renderInvoicePdf } from '../src/invoicing/pdf/index.ts';
import { manyLinesDocument } from '../src/invoicing/pdf/test-fixtures.ts';

export interface PdfBenchResult {
  lines: number;
  ms: number;
  /** CPU time (user + system) of the process during the render: less disturbed by a busy machine than `ms`. */
  cpuMs: number;
  /** Until the first byte reaches the output: the measuring pass that counts the pages. */
  firstByteMs: number;
  bytes: number;
  /** Pages in the output (its /Type /Page objects). */
  pages: number;
  /** The process's resident memory just before rendering (runtime and modules loaded). */
  baseRssMiB: number;
  peakRssMiB: number;
  peakHeapMiB: number;
  /** Live heap after a full GC near the end of the drawing pass; only with `node --expose-gc`. */
  retainedHeapMiB: number | null;
}

/** Renders a `lines`-line invoice to a discarding stream and reports time, output size and memory peaks. */
export async function benchPdf(lines: number, perGroup = 100): Promise<PdfBenchResult> {
  const baseRss = process.memoryUsage().rss;
  let bytes = 0;
  let pages = 0;
  let tail = '';
  let peakHeap = 0;
  const sample = () => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed));
  let chunks = 0;
  let firstByte: number | undefined;
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      firstByte ??= performance.now();
      bytes += chunk.length;
      // Page objects, counted across chunk boundaries (a match ending in this chunk is new).
      const text = tail + chunk.toString('latin1');
      for (const m of text.matchAll(/\/Type \/Page\b(?!s)/g)) if (m.index + m[0].length > tail.length) pages++;
      tail = text.slice(-16);
      if (++chunks % 64 === 0) sample();
      cb();
    },
  });
  const doc = manyLinesDocument(lines, {}, perGroup);
  const source = doc.lines;
  // Sample the heap every 250 lines too, during both passes.
  const gc = (globalThis as { gc?: () => void }).gc;
  let retained: number | null = null;
  let pass = 0;
  doc.lines = async function* () {
    let i = 0;
    pass++;
    for await (const l of source()) {
      if (++i % 250 === 0) sample();
      if (gc && pass === 2 && i === lines - 1) {
        gc();
        retained = process.memoryUsage().heapUsed;
      }
      yield l;
    }
  };
  const start = performance.now();
  const cpu = process.cpuUsage();
  await renderInvoicePdf(doc, sink);
  const ms = performance.now() - start;
  const { user, system } = process.cpuUsage(cpu);
  sample();
  const mib = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
  return {
    lines,
    ms: Math.round(ms),
    firstByteMs: Math.round((firstByte ?? start) - start),
    cpuMs: Math.round((user + system) / 1000),
    bytes,
    pages,
    baseRssMiB: mib(baseRss),
    peakRssMiB: mib(process.resourceUsage().maxRSS * 1024),
    peakHeapMiB: mib(peakHeap),
    retainedHeapMiB: retained === null ? null : mib(retained),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const json = process.argv.includes('--json');
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  for (const n of sizes.length ? sizes : [1000, 10_000]) {
    // BENCH_PDF_PER_GROUP=1: one sub-task per line, as a project of N one-line sub-tasks invoices.
    const r = await benchPdf(n, Number(process.env.BENCH_PDF_PER_GROUP ?? 100));
    if (json) {
      console.log(JSON.stringify(r));
      continue;
    }
    console.log(
      `${r.lines} lines, ${r.pages} pages: ${r.ms} ms (${r.cpuMs} ms CPU; first byte after ${r.firstByteMs} ms), ${(r.bytes / 1024).toFixed(0)} KiB of PDF, peak RSS ${r.peakRssMiB} MiB, peak heap ${r.peakHeapMiB} MiB${r.retainedHeapMiB === null ? '' : `, retained heap ${r.retainedHeapMiB} MiB`} (node ${process.version})`,
    );
  }
}
