/**
 * A shortcut past fontkit's text shaping for words where shaping provably does nothing but kern.
 *
 * PDFKit lays out every word it measures or draws with fontkit's OpenType shaping (GSUB
 * substitutions, GPOS kerning and mark positioning), and that was most of a long invoice's
 * CPU: every amount, quantity, line number and sub-task title is a new word. But fontkit tries a
 * lookup at a glyph only when the glyph is in the lookup's (first) coverage table. So for a
 * word whose every glyph is outside the coverage of every substitution, and of every
 * positioning lookup but pair kerning, fontkit's result is the cmap's glyphs, each advancing by
 * its advance width, plus what the pair kerning adds to each two neighbours. A kerning pair
 * depends on its two glyphs and the word's script alone (Latin when the word has a Latin
 * letter, else fontkit's default), so each pair's adjustment is asked of fontkit once, as a
 * two-letter word of that script, and kept. Any other word goes to fontkit.
 * plain-shaping.test.ts checks the two agree on every pair of characters an invoice prints and
 * on thousands of random words.
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
  fvar?: unknown;
}

type Coverage = { version: 1; glyphs: number[] } | { version: 2; rangeRecords: { start: number; end: number }[] };
type ClassDef =
  | { version: 1; startGlyph: number; classValueArray: number[] }
  | { version: 2; classRangeRecord: { start: number; end: number; class: number }[] };
interface LangSys {
  featureIndexes: number[];
}
interface SubTable {
  /** In an extension subtable (GSUB type 7, GPOS type 9): the type of the lookup it holds. */
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
  lookupList: { get(index: number): { lookupType: number; flags?: { flags?: LookupFlags }; subTables: SubTable[] } };
}
interface LookupFlags {
  ignoreBaseGlyphs?: boolean;
  ignoreLigatures?: boolean;
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
const GPOS_PAIR = 2;

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
 * (no shortcut at all) for fonts fontkit shapes by other rules: AAT (morx), kerned through the
 * old `kern` table because GPOS has no kerning for these scripts, or variable fonts.
 */
function plainLayout(font: ShapingFont): ((text: string) => PlainRun | null) | null {
  if (font.morx || !font.GPOS || font.fvar) return null;
  const coverage = lookupCoverage(font);
  if (!coverage) return null;
  const { shaped, kerned } = coverage;
  const classes = font.GDEF?.glyphClassDef;
  // One entry per code point of PLAIN_RANGES at most: the font's own glyph, or null when shaped.
  const chars = new Map<number, PlainChar | null>();
  const charOf = (codePoint: number): PlainChar | null => {
    let char = chars.get(codePoint);
    if (char === undefined) {
      char = null;
      if (inRanges(codePoint)) {
        // The same call fontkit makes first for each character (it creates the glyph object).
        const glyph = font.glyphForCodePoint(codePoint);
        if (!shaped.has(glyph.id) && !(classes && classOf(classes, glyph.id) === GDEF_MARK)) {
          // The script fontkit gives a word of this character alone: Latin, or unknown (Common).
          const latin = (font.layout(String.fromCharCode(codePoint)) as { script?: string }).script === LATIN;
          char = { glyph, latin, kerned: kerned.has(glyph.id) };
        }
      }
      chars.set(codePoint, char);
    }
    return char;
  };
  const pairs = new Map<number, Kerning | null | typeof SHAPED>();
  /** What fontkit's kerning adds to `a` and `b` side by side in a word of `script`. */
  const kerningOf = (script: string, a: number, b: number): Kerning | null | typeof SHAPED => {
    const key = (a * 0x10000 + b) * 2 + (script === LATIN ? 1 : 0);
    let kerning = pairs.get(key);
    if (kerning === undefined) {
      const run = font.layout(String.fromCharCode(a, b), undefined, script) as FontkitRun;
      const [first, second] = [charOf(a)!.glyph, charOf(b)!.glyph];
      if (run.glyphs.length !== 2 || run.glyphs[0].id !== first.id || run.glyphs[1].id !== second.id) kerning = SHAPED;
      else {
        const [p, q] = run.positions;
        const k: Kerning = [
          p.xAdvance - first.advanceWidth,
          p.yAdvance,
          p.xOffset,
          p.yOffset,
          q.xAdvance - second.advanceWidth,
          q.yAdvance,
          q.xOffset,
          q.yOffset,
        ];
        kerning = k.every((d) => d === 0) ? null : k;
      }
      if (pairs.size >= MAX_PAIRS) pairs.clear();
      pairs.set(key, kerning);
    }
    return kerning;
  };
  return (text) => {
    if (typeof text !== 'string') return null;
    const word: PlainChar[] = [];
    let latin = false;
    for (let i = 0; i < text.length; i++) {
      const char = charOf(text.charCodeAt(i)); // PLAIN_RANGES hold no surrogate: a pair falls back
      if (!char) return null;
      word.push(char);
      latin ||= char.latin;
    }
    const run = new PlainRun(
      word.map((c) => c.glyph),
      word.map((c) => ({ xAdvance: c.glyph.advanceWidth, yAdvance: 0, xOffset: 0, yOffset: 0 })),
    );
    for (let i = 0; i + 1 < word.length; i++) {
      if (!word[i].kerned) continue; // a pair lookup is tried only at a glyph of its coverage
      const kerning = kerningOf(latin ? LATIN : UNKNOWN_SCRIPT, text.charCodeAt(i), text.charCodeAt(i + 1));
      if (kerning === SHAPED) return null;
      if (kerning) adjust(run.positions[i], run.positions[i + 1], kerning);
    }
    return run;
  };
}

interface PlainChar {
  glyph: Glyph;
  /** Whether fontkit counts it as a Latin letter (a word with one is laid out as Latin). */
  latin: boolean;
  /** Whether some pair kerning lookup may start at its glyph. */
  kerned: boolean;
}

/** The glyphs and positions of fontkit's GlyphRun, as this reads them. */
interface FontkitRun {
  glyphs: Glyph[];
  positions: Position[];
}

/** The change pair kerning makes to the first glyph's position, then to the second's: xAdvance, yAdvance, xOffset, yOffset each. */
type Kerning = [number, number, number, number, number, number, number, number];
/** A pair that fontkit did more to than kern: words holding it go to fontkit. */
const SHAPED = Symbol('shaped');
/** Kept kerning pairs at most, per font (a few thousand in practice); past it they are asked again. */
const MAX_PAIRS = 100_000;
/** fontkit's script tags: what it gives a word with a Latin letter, and one of Common characters only. */
const LATIN = 'latn';
const UNKNOWN_SCRIPT = 'zzzz';
/** Words fontkit lays out as Latin, and in its default script. */
const LATIN_PROBE = 'a';
const COMMON_PROBE = '0';

function adjust(first: Position, second: Position, k: Kerning): void {
  first.xAdvance += k[0];
  first.yAdvance += k[1];
  first.xOffset += k[2];
  first.yOffset += k[3];
  second.xAdvance += k[4];
  second.yAdvance += k[5];
  second.xOffset += k[6];
  second.yOffset += k[7];
}

/**
 * The glyphs some lookup of SCRIPTS may start at, among the features fontkit applies to text of
 * these scripts (not, say, stylistic alternates or discretionary ligatures, which it applies
 * only when asked): `shaped` for every GSUB lookup and every GPOS lookup but pair kerning;
 * `kerned` for pair kerning (GPOS type 2) that skips no base glyph or ligature, so that it always
 * pairs a glyph with the next. Null when the font's tables are not what this understands (then
 * nothing takes the shortcut).
 */
function lookupCoverage(font: ShapingFont): { shaped: Set<number>; kerned: Set<number> } | null {
  const shaped = new Set<number>();
  const kerned = new Set<number>();
  // The features fontkit plans for a Latin word and for a word of digits: it applies no other.
  const planned = new Set([LATIN_PROBE, COMMON_PROBE].flatMap((probe) => Object.keys((font.layout(probe) as { features: object }).features)));
  for (const table of [font.GSUB, font.GPOS]) {
    if (!table) continue;
    const scripts = table.scriptList.filter((s) => SCRIPTS.includes(s.tag));
    if (scripts.length === 0) return null; // fontkit would keep whatever script it used last
    for (const { script } of scripts) {
      const langs = [script.defaultLangSys, ...script.langSysRecords.map((r) => r.langSys)];
      if (table === font.GPOS && font.kern && !langs.every((l) => l?.featureIndexes.some((i) => table.featureList[i].tag === 'kern'))) return null;
      for (const lang of langs) {
        for (const index of lang?.featureIndexes ?? []) {
          if (!planned.has(table.featureList[index].tag)) continue;
          for (const lookupIndex of table.featureList[index].feature.lookupListIndexes) {
            const lookup = table.lookupList.get(lookupIndex);
            const flags = lookup.flags?.flags;
            for (let sub of lookup.subTables) {
              let type = lookup.lookupType;
              if (sub.extension) {
                type = sub.lookupType ?? 0;
                sub = sub.extension; // GSUB type 7, GPOS type 9
              }
              const first = sub.coverage ?? sub.markCoverage ?? sub.mark1Coverage ?? sub.coverages?.[0] ?? sub.inputCoverage?.[0];
              if (!first) return null;
              const pairs = table === font.GPOS && type === GPOS_PAIR && !flags?.ignoreBaseGlyphs && !flags?.ignoreLigatures;
              addCoverage(pairs ? kerned : shaped, first);
            }
          }
        }
      }
    }
  }
  return { shaped, kerned };
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
