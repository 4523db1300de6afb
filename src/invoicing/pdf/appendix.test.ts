import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import { attachment, EXCAVATION, invoiceDocument, PAVING, PNG_SIGNATURE, pngBytes, pngChunk, TINY_JPEG } from './test-fixtures.ts';
import { renderToFile } from './test-pdf-tools.ts';
import { isEmbeddable } from './thumbnail.ts';

/** A 40×30 RGBA PNG, CRCs all valid, whose pixel data stops short: PDFKit decodes it in a zlib callback. */
function truncatedAlphaPng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(40, 0);
  ihdr.writeUInt32BE(30, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const data = deflateSync(Buffer.alloc(30 * (1 + 40 * 4), 1));
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', data.subarray(0, data.length - 30)), pngChunk('IEND', Buffer.alloc(0))]);
}

const ATTACHMENTS = [
  attachment({ name: 'Devis signé.pdf', mediaType: 'application/pdf', bytes: Buffer.alloc(120 * 1024) }),
  attachment({ group: EXCAVATION, name: 'T-1042 tranchée.png', mediaType: 'image/png', bytes: pngBytes(64, 48) }),
  attachment({ group: EXCAVATION, name: 'T-1042 chantier.jpg', mediaType: 'image/jpeg', bytes: TINY_JPEG }),
  attachment({ group: EXCAVATION, name: 'T-1042 tronquée.png', mediaType: 'image/png', bytes: truncatedAlphaPng() }),
  attachment({ group: PAVING, name: 'T-1044 faux.jpg', mediaType: 'image/jpeg', bytes: Buffer.from('not a jpeg at all') }),
  attachment({ group: PAVING, name: 'T-1044 disparue.png', mediaType: 'image/png', bytes: new Error('blob missing') }),
  attachment({ group: PAVING, name: 'T-1044 plan.dwg', mediaType: 'application/acad', bytes: Buffer.alloc(3 * 1024 * 1024) }),
];

describe('renderInvoicePdf, appendix', () => {
  it('lists attachments by sub-task with name, type and size, on a page of its own', async () => {
    const pdf = await renderToFile(invoiceDocument({ attachments: ATTACHMENTS }), { includeAppendix: true });
    const text = await pdf.text();
    const pages = text.split('\f').filter((p) => p.trim());
    assert.equal(await pdf.images(), 0, 'no thumbnail unless asked');
    await pdf.cleanup();

    assert.doesNotMatch(pages[0], /Annexe/);
    const appendix = pages.slice(1).join('\n');
    assert.match(appendix, /Annexe — pièces jointes/);
    assert.match(appendix, /FAC-1043 — Stationnement Lefèvre — mars 2026\s+Devis signé\.pdf\s+application\/pdf\s+120,0 Ko/);
    assert.match(appendix, /T-1042 — Excavation du stationnement\s+T-1042 tranchée\.png\s+image\/png/);
    assert.match(appendix, /T-1042 chantier\.jpg\s+image\/jpeg\s+773 o/);
    assert.match(appendix, /T-1044 — Pavage — couche de finition/);
    assert.match(appendix, /T-1044 plan\.dwg\s+application\/acad\s+3,0 Mo/);
    assert.match(appendix, /Page 2 de 2/);
  });

  it('embeds PNG and JPEG thumbnails, and a "preview unavailable" box for each photo it cannot read', async () => {
    const pdf = await renderToFile(invoiceDocument({ language: 'en', attachments: ATTACHMENTS }), { includeAppendix: true, photoThumbnails: true });
    const text = await pdf.text();
    const images = await pdf.images();
    await pdf.cleanup();
    assert.equal(images, 2, 'the valid PNG and the valid JPEG');
    assert.equal([...text.matchAll(/preview unavailable/g)].length, 3, 'truncated PNG, fake JPEG, unreadable blob');
    assert.match(text, /Appendix — attachments/);
    assert.match(text, /T-1044 plan\.dwg\s+application\/acad\s+3\.0 MB/);
  });

  it('adds no appendix when there is no attachment, or when not asked', async () => {
    for (const [attachments, opts] of [
      [[], { includeAppendix: true }],
      [ATTACHMENTS, {}],
    ] as const) {
      const pdf = await renderToFile(invoiceDocument({ attachments: [...attachments] }), opts);
      const text = await pdf.text();
      const pages = await pdf.pages();
      await pdf.cleanup();
      assert.doesNotMatch(text, /Annexe/);
      assert.equal(pages, 1);
    }
  });
});

describe('isEmbeddable', () => {
  it('accepts valid PNGs and JPEGs and refuses damaged ones', () => {
    assert.equal(isEmbeddable('png', pngBytes(3, 2)), true);
    assert.equal(isEmbeddable('png', pngBytes(3, 2, true)), true);
    assert.equal(isEmbeddable('jpeg', TINY_JPEG), true);
    assert.equal(isEmbeddable('png', truncatedAlphaPng()), false);
    const flipped = pngBytes(3, 2);
    flipped[20] ^= 0xff; // inside IHDR: its CRC no longer matches
    assert.equal(isEmbeddable('png', flipped), false);
    assert.equal(isEmbeddable('png', TINY_JPEG), false);
    assert.equal(isEmbeddable('jpeg', TINY_JPEG.subarray(0, 40)), false);
    assert.equal(isEmbeddable('jpeg', Buffer.from([0xff, 0xd8, 0xff])), false);
  });
});
