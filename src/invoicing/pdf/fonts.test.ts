import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { DEJAVU, renderInvoicePdf } from './index.ts';
import { invoiceDocument } from './test-fixtures.ts';
import { renderToFile } from './test-pdf-tools.ts';

describe('renderInvoicePdf, fonts', () => {
  it('fails before writing anything, naming fonts-dejavu-core, when a font is missing', async () => {
    let written = 0;
    const out = new Writable({
      write(c: Buffer, _e, cb) {
        written += c.length;
        cb();
      },
    });
    await assert.rejects(renderInvoicePdf(invoiceDocument(), out, { fonts: { ...DEJAVU, bold: '/nonexistent/DejaVuSans-Bold.ttf' } }), (err: Error) => {
      assert.match(err.message, /fonts-dejavu-core/);
      assert.match(err.message, /\/nonexistent\/DejaVuSans-Bold\.ttf/);
      return true;
    });
    assert.equal(written, 0);
    assert.equal(out.destroyed, false, 'the caller may still answer with an error');
  });

  it('embeds DejaVu Sans, regular and bold, rather than a built-in font', async () => {
    const pdf = await renderToFile(invoiceDocument());
    const raw = (await pdf.bytes()).toString('latin1');
    await pdf.cleanup();
    assert.match(raw, /\/BaseFont \/[A-Z]{6}\+DejaVuSans\n/);
    assert.match(raw, /\/BaseFont \/[A-Z]{6}\+DejaVuSans-Bold\n/);
    assert.doesNotMatch(raw, /\/BaseFont \/Helvetica/);
  });
});
