import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMoney } from '../format.ts';
import { EXCAVATION, invoiceDocument, line, manyLinesDocument } from './test-fixtures.ts';
import { renderToFile } from './test-pdf-tools.ts';

/** pdftotext separates pages with a form feed. */
const pagesOf = (text: string) => text.split('\f').filter((p) => p.trim() !== '');
const plain = (s: string) => s.replace(/\u00a0/g, ' ');

describe('renderInvoicePdf, several pages', () => {
  it('repeats the table header and the group header "(suite)" on each page, and numbers pages "Page n de N"', async () => {
    const lines = [
      line({ description: 'Déplacement' }),
      ...Array.from({ length: 150 }, (_, i) => line({ group: EXCAVATION, description: `Passe de creusage n° ${i + 1}` })),
    ];
    const pdf = await renderToFile(invoiceDocument({ lines }));
    const text = await pdf.text();
    const count = await pdf.pages();
    await pdf.cleanup();

    assert.ok(count >= 3, `expected 3+ pages, got ${count}`);
    const pages = pagesOf(text);
    assert.equal(pages.length, count);
    pages.forEach((page, i) => {
      assert.match(page, new RegExp(`Page ${i + 1} de ${count}\\s*$`), `footer of page ${i + 1}`);
      assert.match(page, /Description\s+Qté\s+Unité\s+Prix unitaire\s+Montant/, `table header on page ${i + 1}`);
      if (i > 0) {
        assert.match(page, /Facture F-2026-0042 — Chloé Lefèvre-Öztürk/, `running header on page ${i + 1}`);
        assert.match(page, /T-1042 — Excavation du stationnement \(suite\)/, `continued group on page ${i + 1}`);
      }
    });
    assert.doesNotMatch(pages[0], /\(suite\)/);
    // Every line is there once, in order, and the group subtotal closes it on the last page.
    const numbers = [...text.matchAll(/Passe de creusage n° (\d+)/g)].map((m) => Number(m[1]));
    assert.deepEqual(
      numbers,
      Array.from({ length: 150 }, (_, i) => i + 1),
    );
    assert.match(pages.at(-1)!, /Sous-total T-1042\s+11 250,00 \$/);
  });

  it('says "(continued)" and "Page n of N" in English', async () => {
    const lines = Array.from({ length: 80 }, (_, i) => line({ group: EXCAVATION, description: `Trench pass ${i + 1}` }));
    const pdf = await renderToFile(invoiceDocument({ language: 'en', lines }));
    const text = await pdf.text();
    const count = await pdf.pages();
    await pdf.cleanup();
    assert.ok(count >= 2);
    assert.match(text, /T-1042 — Excavation du stationnement \(continued\)/);
    assert.match(text, new RegExp(`Page 1 of ${count}[\\s\\S]*Page ${count} of ${count}`));
  });

  it('renders a 10,000-line invoice page by page: every line, the last one and the total are there', async (t) => {
    const heapBefore = process.memoryUsage().heapUsed;
    let peakHeap = heapBefore;
    const doc = manyLinesDocument(10_000);
    const source = doc.lines;
    doc.lines = async function* () {
      let i = 0;
      for await (const l of source()) {
        if (++i % 500 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
        yield l;
      }
    };
    const started = performance.now();
    const pdf = await renderToFile(doc);
    // Information only (never asserted): the figures to compare are in bench/pdf-bench.ts.
    t.diagnostic(
      `10,000 lines: ${Math.round(performance.now() - started)} ms, peak heap ${Math.round(peakHeap / 1048576)} MiB (before ${Math.round(heapBefore / 1048576)} MiB), max RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`,
    );
    const text = await pdf.text();
    const count = await pdf.pages();
    await pdf.cleanup();

    assert.ok(count > 100, `expected hundreds of pages, got ${count}`);
    assert.match(text, new RegExp(`Page ${count} de ${count}`));
    assert.equal([...text.matchAll(/Page \d+ de (\d+)/g)].filter((m) => Number(m[1]) === count).length, count);
    const seen = new Set([...text.matchAll(/Ligne (\d+) —/g)].map((m) => Number(m[1])));
    assert.equal(seen.size, 9_999, 'every line but the last (which has its own description)');
    assert.match(text, /Dernière ligne n° 10000/);
    assert.match(text, /\(suite\)/);
    const total = plain(formatMoney(doc.totals.totalCents, 'fr'));
    assert.ok(doc.totals.totalCents > 100_000_000, 'a total with several thousands separators');
    assert.match(text, new RegExp(`Total\\s+${total.replace(/[$]/g, '\\$&')}`));
  });
});

describe('renderInvoicePdf, oversized text', () => {
  it('cuts a description longer than half a page with "…" and keeps the page count exact', async () => {
    const huge = `${'Très longue description de travaux de terrassement. '.repeat(400)}FIN`;
    const pdf = await renderToFile(invoiceDocument({ lines: [line({ description: 'Avant' }), line({ description: huge }), line({ description: 'Après' })] }));
    const text = await pdf.text();
    const count = await pdf.pages();
    await pdf.cleanup();
    assert.doesNotMatch(text, /FIN/);
    assert.match(text, /…/);
    assert.match(text, /Après/);
    assert.match(text, new RegExp(`Page ${count} de ${count}`));
  });
});
