import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDate, formatMoney, formatQuantity, formatRate } from '../format.ts';
import { loadFonts } from './fonts.ts';
import { LABELS } from './labels.ts';
import type { ShapingFont } from './plain-shaping.ts';
import { CLIENT_NAME, EXCAVATION, PAVING } from './test-fixtures.ts';

interface Run {
  glyphs: { id: number; advanceWidth: number }[];
  positions: { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number }[];
  advanceWidth: number;
}

/** What PDFKit reads of a layout: glyph ids and advances, each position, the run's width. */
const seen = (run: Run) => ({
  glyphs: run.glyphs.map((g) => [g.id, g.advanceWidth]),
  positions: run.positions.map((p) => [p.xAdvance, p.yAdvance, p.xOffset, p.yOffset]),
  advanceWidth: run.advanceWidth,
});

const fonts = await loadFonts();
// The font PDFKit gets inherits from fontkit's own parsed font: that one shapes everything.
const pairs = (['regular', 'bold'] as const).map((name) => {
  const font = fonts[name];
  return { name, font, fontkit: Object.getPrototypeOf(font) as ShapingFont };
});

/** Characters an invoice prints: ASCII, Latin-1 (with U+00A0), and the punctuation the labels use. */
const CHARS = [...Array.from({ length: 0x5f }, (_, i) => String.fromCharCode(0x20 + i)), ...'\u00a0«»°±×÷éèêëàâäçùûüôöîïœæÉÈÀÇŒÆ€£¥—–‐‑…·•‘’“”‹›‰'];

/** Words as PDFKit lays them out: split after each space, the space kept. */
const words = (text: string) => text.match(/[^ ]+ ?| /g) ?? [];

describe('withPlainShaping', () => {
  it("gives fontkit's glyphs and positions for every character pair, alone or before a space", () => {
    for (const { name, font, fontkit } of pairs) {
      for (const a of CHARS) {
        for (const b of CHARS) {
          for (const text of [a + b, `${a + b} `]) {
            assert.deepEqual(seen(font.layout(text) as Run), seen(fontkit.layout(text) as Run), `${name} ${JSON.stringify(text)}`);
          }
        }
      }
    }
  });

  it("gives fontkit's layout for the words of amounts, dates, labels and names, in both languages", () => {
    const texts: string[] = [
      CLIENT_NAME,
      EXCAVATION.title,
      PAVING.title,
      ...EXCAVATION.assignees,
      ...PAVING.assignees,
      'T-1042 — Ŀ ŀ ĳ ﬁ ffi Straße AV To Wa ½ x² ‰ ™ soft\u00adhyphen zw\u200bsp שלום مرحبا',
    ];
    for (const language of ['fr', 'en'] as const) {
      for (const cents of [0, 5, -500, 7_500, 123_456, 98_765_432_10, -1_000_000_00]) texts.push(formatMoney(cents, language));
      texts.push(formatQuantity('1250.5', language), formatRate('9.975', language), formatDate('2026-03-01', language), formatDate('2026-12-31', language));
      for (const label of Object.values(LABELS[language])) {
        if (typeof label === 'string') texts.push(label);
        else if (typeof label === 'function') texts.push(String((label as (a: string | number, b: number) => unknown)('F-2026-0042', 7)));
        else texts.push(...Object.values(label as Record<string, string>));
      }
    }
    for (const { name, font, fontkit } of pairs) {
      for (const word of texts.flatMap(words)) {
        assert.deepEqual(seen(font.layout(word) as Run), seen(fontkit.layout(word) as Run), `${name} ${JSON.stringify(word)}`);
      }
    }
  });

  it("gives fontkit's layout for thousands of random words, kerned pairs and all", () => {
    // Latin Extended and a few characters fontkit must shape (ligatures, marks, Vietnamese, Greek).
    const common = [...CHARS, ...'ĀāĞğİıŁłŃńŐőŘřŚśŠšŸŹźŽžƒǅǆȘșȚțﬁﬂ\u0301ễΩ'];
    // Every character of Latin-1, Latin Extended-A and B, general punctuation and currency signs.
    const span = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i));
    const wide = [...span(0x20, 0x7e), ...span(0xa0, 0x24f), ...span(0x2010, 0x205e), ...span(0x20a0, 0x20cf)];
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    let kerned = 0;
    for (const { name, font, fontkit } of pairs) {
      for (const chars of [common, wide]) {
        for (let n = 0; n < 5_000; n++) {
          let word = '';
          for (let k = 1 + random(10); k > 0; k--) word += chars[random(chars.length)];
          const expected = fontkit.layout(word) as Run;
          assert.deepEqual(seen(font.layout(word) as Run), seen(expected), `${name} ${JSON.stringify(word)}`);
          if (expected.positions.some((p, i) => p.xAdvance !== expected.glyphs[i].advanceWidth)) kerned++;
        }
      }
    }
    assert.ok(kerned > 500, `only ${kerned} random words were kerned`); // the words do test kerning
  });

  it('takes the shortcut for amounts, numbers and kerned words, and leaves ligatures and marks to fontkit', () => {
    for (const { name, font, fontkit } of pairs) {
      const fontkitRun = (fontkit.layout('x') as object).constructor;
      for (const word of ['1\u00a0234,56\u00a0$', '$1,234.56', '10000 ', '9,975\u00a0%', 'T-1042', 'AV', 'Wa ', 'Lemaître-Öztürk', 'Québec']) {
        assert.ok(!(font.layout(word) instanceof fontkitRun), `${name} ${JSON.stringify(word)} should take the shortcut`);
      }
      // DejaVu kerns "T" before "-", and "A" before "V": the shortcut applies fontkit's kerning.
      for (const word of ['T-1042', 'AV']) {
        const run = font.layout(word) as Run;
        assert.notEqual(run.positions[0].xAdvance, run.glyphs[0].advanceWidth, `${name} ${word} is kerned`);
        assert.deepEqual(seen(run), seen(fontkit.layout(word) as Run));
      }
      // "ffi" and "fl" are ligatures, "i" may lose its dot before a mark (U+0301, a mark itself), "ễ" is outside the plain ranges.
      for (const word of ['office', 'fl', 'Ligne', 'e\u0301', 'Nguyễn'])
        assert.ok(font.layout(word) instanceof fontkitRun, `${name} ${JSON.stringify(word)} should be shaped`);
    }
  });
});
