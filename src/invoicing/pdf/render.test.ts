import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import type { DocumentLine } from '../document.ts';
import { renderInvoicePdf } from './index.ts';
import { CLIENT_NAME, DEFAULT_LINES, EXCAVATION, invoiceDocument, line, PAVING } from './test-fixtures.ts';
import { pdfTextRuns, renderToFile, type RenderedPdf } from './test-pdf-tools.ts';

// Expected figures of the default fixture, worked out by hand:
// lines 75.00 + 1,812.50 + 250.00 (exempt) + 3,950.00 = 6,087.50; taxable 5,837.50;
// GST 5 % = 291.875 → 291.88; QST 9.975 % = 582.290625 → 582.29; total 6,961.67.
// In Ontario: HST 13 % of 5,837.50 = 758.875 → 758.88; total 6,846.38.

/** Asserts that `re` matches `text`, showing the text when it does not. */
const has = (text: string, re: RegExp | string) =>
  typeof re === 'string' ? assert.ok(text.includes(re), `missing ${JSON.stringify(re)} in:\n${text}`) : assert.match(text, re);

describe('renderInvoicePdf, a French invoice', () => {
  let pdf: RenderedPdf;
  let text: string;
  before(async () => {
    pdf = await renderToFile(invoiceDocument());
    text = await pdf.text();
  });
  after(() => pdf.cleanup());

  it('shows the title, number, dates and payment terms in French', () => {
    has(text, 'Facture');
    has(text, 'Numéro : F-2026-0042');
    has(text, 'Date : 3 mars 2026');
    has(text, 'Échéance : 2 avril 2026');
    has(text, 'Payable dans les 30 jours');
    has(text, 'FAC-1043 — Stationnement Lefèvre');
  });

  it('shows the seller with its GST/HST and QST numbers, and the client billed', () => {
    has(text, 'Excavation Martin inc.');
    has(text, /Laval QC\s+H7L 4S3/);
    has(text, 'TPS/TVH : 123456789 RT0001');
    has(text, 'TVQ : 1234567890 TQ0001');
    has(text, CLIENT_NAME);
    has(text, /Québec QC\s+G1R 1N9/);
    has(text, 'comptes@lefevre-ozturk.example');
  });

  it('shows no phone or email for a seller snapshot frozen without them (invoices issued before they were kept)', () => {
    assert.doesNotMatch(text, /Tél\.|Courriel/);
  });

  it('groups lines by sub-task with number, title, completion date and employees (Vietnamese, Greek, Polish names)', () => {
    has(text, /Travaux\n\s*Déplacement et mobilisation\s+1\s+75,00 \$\s+75,00 \$/);
    has(text, 'T-1042 — Excavation du stationnement');
    has(text, 'Terminée le 2 mars 2026'); // 20:30 UTC on March 2 is still March 2 in Montreal
    has(text, 'Employés : Marc Tremblay, Nguyễn Thị Hoa');
    has(text, 'T-1044 — Pavage — couche de finition');
    has(text, 'Employés : Γιώργος Παπαδόπουλος, Łukasz Wiśniewski');
  });

  it('shows each line with quantity, unit, unit price and amount, exempt lines marked', () => {
    has(text, /Pelle mécanique 20 t\s+12,5 h\s+145,00 \$\s+1 812,50 \$/);
    has(text, /Permis municipal de creusage \(exonéré\)\s+1\s+250,00 \$\s+250,00 \$/);
    has(text, /Enrobé bitumineux posé\s+40 t\s+98,75 \$\s+3 950,00 \$/);
  });

  it('closes each group with its subtotal', () => {
    has(text, /Sous-total Travaux\s+75,00 \$/);
    has(text, /Sous-total T-1042\s+2 062,50 \$/);
    has(text, /Sous-total T-1044\s+3 950,00 \$/);
  });

  it('sums under each footer the lines printed above it, when a sub-task’s lines come in two runs', async () => {
    // A nested project can freeze a sub-task's lines on both sides of another's (T-1042, T-1044, T-1042).
    const lines = [
      line({ group: EXCAVATION, description: 'Passe A', unitPriceCents: 10_000, amountCents: 10_000 }),
      line({ group: PAVING, description: 'Pose B', unitPriceCents: 20_000, amountCents: 20_000 }),
      line({ group: EXCAVATION, description: 'Passe C', unitPriceCents: 40_000, amountCents: 40_000 }),
    ];
    const runs = await renderToFile(invoiceDocument({ lines }));
    try {
      const text = await runs.text();
      has(
        text,
        /Passe A[^\n]*\n[\s\S]*?Sous-total T-1042\s+100,00 \$[\s\S]*Pose B[\s\S]*?Sous-total T-1044\s+200,00 \$[\s\S]*Passe C[\s\S]*?Sous-total T-1042\s+400,00 \$/,
      );
    } finally {
      await runs.cleanup();
    }
  });

  it('shows subtotal, each tax with its French rate, and the total', () => {
    has(text, /Sous-total\s+6 087,50 \$/);
    has(text, /dont exonéré\s+250,00 \$/);
    has(text, /TPS 5 %\s+291,88 \$/);
    has(text, /TVQ 9,975 %\s+582,29 \$/);
    has(text, /Total\s+6 961,67 \$/);
    assert.ok(text.indexOf('TPS 5 %') < text.indexOf('TVQ 9,975 %'), 'GST before QST');
  });

  it('writes the French thousands separator and the space before $ as U+00A0 (pdftotext shows a plain space)', async () => {
    const runs = pdfTextRuns(await pdf.bytes());
    assert.ok(runs.includes('1\u00a0812,50\u00a0$'), `no "1 812,50 $" with U+00A0 among ${JSON.stringify(runs.slice(0, 40))}`);
    assert.ok(runs.includes('6\u00a0961,67\u00a0$'), 'the total');
    assert.ok(runs.includes('TVQ 9,975\u00a0%'), 'the QST rate');
  });

  it('numbers its single page "Page 1 de 1"', async () => {
    has(text, 'Page 1 de 1');
    assert.equal(await pdf.pages(), 1);
  });
});

describe('renderInvoicePdf, an English invoice', () => {
  const VIETNAMESE = 'Công ty TNHH Nguyễn Thị Hoa';
  let text: string;
  before(async () => {
    const pdf = await renderToFile(invoiceDocument({ language: 'en', buyer: { name: VIETNAMESE } }));
    text = await pdf.text();
    await pdf.cleanup();
  });

  it('shows the English title, labels, dates and terms', () => {
    has(text, 'Invoice');
    has(text, 'Number: F-2026-0042');
    has(text, 'Date: March 3, 2026');
    has(text, 'Due date: April 2, 2026');
    has(text, 'Payable within 30 days');
    has(text, 'GST/HST: 123456789 RT0001');
    has(text, 'QST: 1234567890 TQ0001');
    has(text, VIETNAMESE);
    has(text, 'Completed on March 2, 2026');
    has(text, 'Employees: Γιώργος Παπαδόπουλος, Łukasz Wiśniewski');
  });

  it('formats amounts and rates the English way', () => {
    has(text, /Pelle mécanique 20 t\s+12\.5 h\s+\$145\.00\s+\$1,812\.50/);
    has(text, /Permis municipal de creusage \(exempt\)/);
    has(text, /Subtotal T-1042\s+\$2,062\.50/);
    has(text, /Subtotal\s+\$6,087\.50/);
    has(text, /GST 5%\s+\$291\.88/);
    has(text, /QST 9\.975%\s+\$582\.29/);
    has(text, /Total\s+\$6,961\.67/);
    has(text, 'Page 1 of 1');
  });

  it("shows the seller's phone and email when it has them", async () => {
    const pdf = await renderToFile(invoiceDocument({ language: 'en', seller: { phone: '450 555-0142', email: 'billing@martin.example' } }));
    const withContact = await pdf.text();
    await pdf.cleanup();
    has(withContact, 'Phone: 450 555-0142');
    has(withContact, 'Email: billing@martin.example');
  });

  it('shows HST 13% alone for an Ontario client', async () => {
    const pdf = await renderToFile(invoiceDocument({ language: 'en', region: 'ON' }));
    const on = await pdf.text();
    await pdf.cleanup();
    has(on, /HST 13%\s+\$758\.88/);
    has(on, /Total\s+\$6,846\.38/);
    assert.doesNotMatch(on, /GST 5%|QST 9/);
  });
});

describe('renderInvoicePdf, a credit note', () => {
  const negate = (l: DocumentLine) => ({ ...l, unitPriceCents: -l.unitPriceCents, amountCents: -l.amountCents });
  const creditNote = (language: 'fr' | 'en') =>
    invoiceDocument({
      kind: 'credit_note',
      number: 'NC-2026-0003',
      creditedInvoiceNumber: 'F-2026-0042',
      dueDate: null,
      language,
      lines: DEFAULT_LINES.map(negate),
    });

  it('shows its title, the credited invoice and negative amounts, without payment terms', async () => {
    const pdf = await renderToFile(creditNote('fr'));
    const text = await pdf.text();
    await pdf.cleanup();
    has(text, 'Note de crédit');
    has(text, 'Crédite la facture F-2026-0042');
    has(text, 'Numéro : NC-2026-0003');
    has(text, /-1 812,50 \$/);
    has(text, /TPS 5 %\s+-291,88 \$/);
    has(text, /Total\s+-6 961,67 \$/);
    assert.doesNotMatch(text, /Payable|Échéance/);
  });

  it('says "Credit note" and "Credits invoice" in English', async () => {
    const pdf = await renderToFile(creditNote('en'));
    const text = await pdf.text();
    await pdf.cleanup();
    has(text, 'Credit note');
    has(text, 'Credits invoice F-2026-0042');
    has(text, /Total\s+-\$6,961\.67/);
  });
});

describe('renderInvoicePdf, lines', () => {
  it('wraps a long description over several lines without losing its end', async () => {
    const long = `Excavation ${'et remblayage compacté par couches de 300 mm '.repeat(6)}FIN-DE-DESCRIPTION`;
    const pdf = await renderToFile(invoiceDocument({ lines: [line({ description: long, unitPriceCents: 123_456, amountCents: 123_456 })] }));
    const text = await pdf.text();
    await pdf.cleanup();
    has(text, 'FIN-DE-DESCRIPTION');
    const rows = text.split('\n');
    const first = rows.findIndex((r) => r.includes('Excavation et remblayage'));
    const last = rows.findIndex((r) => r.includes('FIN-DE-DESCRIPTION'));
    assert.ok(last - first >= 3, `expected the description on 4+ lines, got ${last - first + 1}`);
    has(rows[first], /1 234,56 \$\s+1 234,56 \$/); // the amounts sit on the description's first line
  });

  it('gives the task’s own lines no group subtotal when they are the whole invoice', async () => {
    const pdf = await renderToFile(invoiceDocument({ lines: [line()] }));
    const text = await pdf.text();
    await pdf.cleanup();
    has(text, 'Travaux');
    assert.doesNotMatch(text, /Sous-total Travaux/);
    has(text, /Sous-total\s+75,00 \$/);
  });
});

describe('renderInvoicePdf, failures', () => {
  it('destroys the output and rejects when the lines fail midway', async () => {
    const doc = invoiceDocument();
    let calls = 0;
    doc.lines = async function* () {
      if (++calls === 2) {
        yield DEFAULT_LINES[0];
        throw new Error('database went away');
      }
      yield* DEFAULT_LINES;
    };
    const out = new Writable({ write: (_c, _e, cb) => cb() });
    await assert.rejects(renderInvoicePdf(doc, out), /database went away/);
    assert.equal(out.destroyed, true);
  });

  it('honours a slow output (backpressure) and still produces the whole document', async () => {
    const chunks: Buffer[] = [];
    const out = new Writable({
      highWaterMark: 1024,
      write(c: Buffer, _e, cb) {
        chunks.push(c);
        setTimeout(cb, 1);
      },
    });
    const lines = Array.from({ length: 300 }, (_, i) => line({ description: `Ligne lente ${i + 1}` }));
    await renderInvoicePdf(invoiceDocument({ lines }), out);
    const bytes = Buffer.concat(chunks);
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    assert.match(bytes.subarray(-6).toString(), /%%EOF/);
  });
});

describe('renderInvoicePdf, narrow cells', () => {
  it('cuts a unit too wide for its column with "…" but never an amount', async () => {
    const pdf = await renderToFile(
      invoiceDocument({ lines: [line({ unit: 'heures-personnes-supplémentaires', quantity: '1', unitPriceCents: 99_999_999, amountCents: 99_999_999 })] }),
    );
    const text = await pdf.text();
    await pdf.cleanup();
    assert.doesNotMatch(text, /heures-personnes-supplémentaires/);
    assert.match(text, /heures-\S*…/);
    assert.match(text, /999 999,99 \$\s+999 999,99 \$/);
  });
});
