/**
 * A shortcut past fontkit's text shaping for words where shaping provably changes nothing.
 *
 * PDFKit lays out every word it measures or draws with fontkit's OpenType shaping (GSUB
 * substitutions, GPOS kerning and mark positioning), and that was most of a long invoice's
 * CPU: every amount, quantity and line number is a new word. But fontkit tries a lookup at a
 * glyph only when the glyph is in the lookup's (first) coverage table. A word whose every
 * glyph is outside the coverage of every lookup that Latin or default-script text can use
 * therefore comes out of fontkit as the cmap's glyphs, each advancing by its advance width
 * and nothing else. This builds that result directly; any other word goes to fontkit.
 * render-shaping.test.ts checks the two agree on every word an invoice lays out.
 */

/** The parts of a fontkit glyph PDFKit reads. */
interface Glyph {
  id: number;
  advanceWidth: number;
}

/** A glyph's placement as fontkit's GlyphPosition has it (PDFKit scales each of these keys). */
interface Position {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
}

/** The parts of a parsed fontkit font this reads (fontkit 2 ships no types). */
export interface ShapingFont {
  layout(text: string, ...rest: unknown[]): unknown;
  glyphForCodePoint(codePoint: number): Glyph;
  GSUB?: LayoutTable;
  GPOS?: LayoutTable;
  GDEF?: { glyphClassDef?: ClassDef };
  morx?: unknown;
  kern?: unknown;
}

type Coverage = { version: 1; glyphs: number[] } | { version: 2; rangeRecords: { start: number; end: number }[] };
type ClassDef =
  | { version: 1; startGlyph: number; classValueArray: number[] }
  | { version: 2; classRangeRecord: { start: number; end: number; class: number }[] };
interface LangSys {
  featureIndexes: number[];
}
interface SubTable {
  lookupType?: number;
  extension?: SubTable;
  coverage?: Coverage;
  markCoverage?: Coverage;
  mark1Coverage?: Coverage;
  coverages?: Coverage[];
  inputCoverage?: Coverage[];
}
interface LayoutTable {
  scriptList: { tag: string; script: { defaultLangSys: LangSys | null; langSysRecords: { langSys: LangSys }[] } }[];
  featureList: { tag: string; feature: { lookupListIndexes: number[] } }[];
  lookupList: { get(index: number): { lookupType: number; subTables: SubTable[] } };
}

/** The scripts fontkit can select for text of PLAIN_RANGES: Latin, or its defaults for Common-only text. */
const SCRIPTS = ['DFLT', 'dflt', 'latn'];
/**
 * Latin and Common left-to-right characters, without marks, default-ignorable characters
 * (U+00AD, U+200B–U+200F, U+2028–U+202F, U+2060–) or the fraction slash U+2044, which
 * fontkit treats specially whatever the font says.
 */
const PLAIN_RANGES: [number, number][] = [
  [0x20, 0x7e],
  [0xa0, 0xac],
  [0xae, 0x24f],
  [0x2010, 0x2027],
  [0x2030, 0x2043],
  [0x2045, 0x205e],
  [0x20a0, 0x20cf],
];
const GDEF_MARK = 3;

/**
 * The font as PDFKit should get it: `font` itself when the shortcut cannot be proven safe for
 * it, else an object inheriting everything from `font` (PDFKit takes any object with fontkit's
 * methods) whose `layout` takes the shortcut for plain words.
 */
export function withPlainShaping<F extends ShapingFont>(font: F): F {
  const plain = plainLayout(font);
  if (!plain) return font;
  return Object.create(font, {
    // PDFKit calls layout(text, features) with features undefined unless a caller sets some.
    layout: { value: (text: string, ...rest: unknown[]) => (rest.every((a) => a === undefined) && plain(text)) || font.layout(text, ...rest) },
  }) as F;
}

/** What fontkit's `layout(text)` returns, for a word of unshaped glyphs. */
class PlainRun {
  constructor(
    readonly glyphs: Glyph[],
    readonly positions: Position[],
  ) {}

  /** As fontkit's GlyphRun: the sum of the advances, read after PDFKit has scaled them. */
  get advanceWidth(): number {
    let width = 0;
    for (const position of this.positions) width += position.xAdvance;
    return width;
  }
}

/**
 * `text` laid out as fontkit would, or null when some character of it may be shaped. Null
 * (no shortcut at all) for fonts fontkit shapes by other rules: AAT (morx), or kerned through
 * the old `kern` table because GPOS has no kerning for these scripts.
 */
function plainLayout(font: ShapingFont): ((text: string) => PlainRun | null) | null {
  if (font.morx || !font.GPOS) return null;
  const shaped = coveredGlyphs(font);
  if (!shaped) return null;
  const classes = font.GDEF?.glyphClassDef;
  // One entry per code point of PLAIN_RANGES at most: the font's own glyph, or null when shaped.
  const glyphs = new Map<number, Glyph | null>();
  const glyphOf = (codePoint: number): Glyph | null => {
    let glyph = glyphs.get(codePoint);
    if (glyph === undefined) {
      if (!inRanges(codePoint)) return null;
      // The same call fontkit makes first for each character (it creates the glyph object).
      const g = font.glyphForCodePoint(codePoint);
      glyph = !shaped.has(g.id) && !(classes && classOf(classes, g.id) === GDEF_MARK) ? g : null;
      glyphs.set(codePoint, glyph);
    }
    return glyph;
  };
  return (text) => {
    if (typeof text !== 'string') return null;
    const run = new PlainRun([], []);
    for (let i = 0; i < text.length; i++) {
      const glyph = glyphOf(text.charCodeAt(i)); // PLAIN_RANGES hold no surrogate: a pair falls back
      if (!glyph) return null;
      run.glyphs.push(glyph);
      run.positions.push({ xAdvance: glyph.advanceWidth, yAdvance: 0, xOffset: 0, yOffset: 0 });
    }
    return run;
  };
}

/**
 * Every glyph some GSUB or GPOS lookup of SCRIPTS may start at, or null when the font's tables
 * are not what this understands (then nothing takes the shortcut).
 */
function coveredGlyphs(font: ShapingFont): Set<number> | null {
  const covered = new Set<number>();
  for (const table of [font.GSUB, font.GPOS]) {
    if (!table) continue;
    const scripts = table.scriptList.filter((s) => SCRIPTS.includes(s.tag));
    if (scripts.length === 0) return null; // fontkit would keep whatever script it used last
    for (const { script } of scripts) {
      const langs = [script.defaultLangSys, ...script.langSysRecords.map((r) => r.langSys)];
      if (table === font.GPOS && font.kern && !langs.every((l) => l?.featureIndexes.some((i) => table.featureList[i].tag === 'kern'))) return null;
      for (const lang of langs) {
        for (const index of lang?.featureIndexes ?? []) {
          for (const lookupIndex of table.featureList[index].feature.lookupListIndexes) {
            const lookup = table.lookupList.get(lookupIndex);
            for (let sub of lookup.subTables) {
              if (sub.extension) sub = sub.extension; // GSUB type 7, GPOS type 9
              const first = sub.coverage ?? sub.markCoverage ?? sub.mark1Coverage ?? sub.coverages?.[0] ?? sub.inputCoverage?.[0];
              if (!first) return null;
              addCoverage(covered, first);
            }
          }
        }
      }
    }
  }
  return covered;
}

function addCoverage(set: Set<number>, coverage: Coverage): void {
  if (coverage.version === 1) for (const g of coverage.glyphs) set.add(g);
  else for (const { start, end } of coverage.rangeRecords) for (let g = start; g <= end; g++) set.add(g);
}

function classOf(classDef: ClassDef, glyph: number): number {
  if (classDef.version === 1) return classDef.classValueArray[glyph - classDef.startGlyph] ?? 0;
  return classDef.classRangeRecord.find((r) => r.start <= glyph && glyph <= r.end)?.class ?? 0;
}

function inRanges(codePoint: number): boolean {
  return PLAIN_RANGES.some(([from, to]) => from <= codePoint && codePoint <= to);
}
