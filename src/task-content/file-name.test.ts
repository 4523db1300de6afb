import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentDisposition, MAX_FILE_NAME, sanitizeFileName } from './file-name.ts';

describe('sanitizeFileName', () => {
  it('drops folder parts, control and bidi characters, and falls back to "file"', () => {
    assert.equal(sanitizeFileName('../../etc/passwd'), 'passwd');
    assert.equal(sanitizeFileName('C:\\Users\\marc\\devis.pdf'), 'devis.pdf');
    assert.equal(sanitizeFileName('a\u0000b\r\nc.txt'), 'abc.txt');
    assert.equal(sanitizeFileName('photo\u202egnp.exe'), 'photognp.exe');
    for (const empty of [undefined, '', '   ', '..', '.', 'dir/', '\u0001']) assert.equal(sanitizeFileName(empty), 'file', String(empty));
  });

  it('cuts long names to 255 characters, keeping the extension and whole characters', () => {
    const cut = sanitizeFileName(`${'é'.repeat(300)}.jpeg`);
    assert.equal(Array.from(cut).length, MAX_FILE_NAME);
    assert.ok(cut.endsWith('é.jpeg'));
    const emoji = sanitizeFileName('😀'.repeat(300));
    assert.equal(Array.from(emoji).length, MAX_FILE_NAME);
    assert.doesNotThrow(() => encodeURIComponent(emoji)); // throws on a half surrogate pair
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name, and shows only images and PDFs inline', () => {
    assert.equal(
      contentDisposition('rapport d’été.pdf', 'application/pdf'),
      `inline; filename="rapport d_ete.pdf"; filename*=UTF-8''rapport%20d%E2%80%99%C3%A9t%C3%A9.pdf`,
    );
    assert.match(contentDisposition('x.html', 'text/html'), /^attachment; /);
    assert.match(contentDisposition('x.svg', 'image/svg+xml'), /^attachment; /);
    assert.match(contentDisposition('x.txt', 'text/plain'), /^attachment; /);
    // A plain ASCII name needs no filename* (RFC 6266); any other gets the exact UTF-8 name beside the fallback.
    assert.equal(contentDisposition("a'b(c)*.png", 'image/png'), `inline; filename="a'b(c)*.png"`);
    assert.match(contentDisposition("é'b(c)*.png", 'image/png'), /; filename\*=UTF-8''%C3%A9%27b%28c%29%2A\.png$/);
    assert.equal(
      contentDisposition('T-3 – bon-de-travail.pdf', 'application/pdf'),
      `inline; filename="T-3 - bon-de-travail.pdf"; filename*=UTF-8''T-3%20%E2%80%93%20bon-de-travail.pdf`,
    );
    assert.equal(contentDisposition('"; evil=1\\.png', 'image/png').split('"').length, 3);
  });
});
