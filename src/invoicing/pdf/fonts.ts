import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { withPlainShaping, type ShapingFont } from './plain-shaping.ts';

/** Where the invoice fonts are read from. */
export interface FontPaths {
  regular: string;
  bold: string;
}

/**
 * DejaVu Sans. PDFKit's built-in Helvetica only covers WinAnsi: a Polish, Greek or Vietnamese
 * client name would print as garbage, silently. The npm package dejavu-fonts-ttf ships the
 * files, so `npm install` is enough; Debian's fonts-dejavu-core is the fallback.
 */
export const DEJAVU: FontPaths = dejavuPaths();

function dejavuPaths(): FontPaths {
  const system = {
    regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
    bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  };
  try {
    const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    const bundled = { regular: join(dir, 'DejaVuSans.ttf'), bold: join(dir, 'DejaVuSans-Bold.ttf') };
    return existsSync(bundled.regular) && existsSync(bundled.bold) ? bundled : system;
  } catch {
    return system;
  }
}

/** A parsed font, as fontkit gives it; PDFKit embeds it directly (its `layout` tells it apart). */
export type ParsedFont = ShapingFont;

export interface LoadedFonts {
  regular: ParsedFont;
  bold: ParsedFont;
}

// PDFKit's own fontkit (CommonJS), so both share one module instance.
const fontkit = createRequire(import.meta.url)('fontkit') as { create(data: Buffer): ParsedFont };
const cache = new Map<string, Promise<ParsedFont>>();

/**
 * Reads and parses both fonts once per path per process: parsing DejaVu for every document
 * was a quarter of the CPU of a month-end's email delivery. Each takes the plain-word shaping
 * shortcut (plain-shaping.ts). Throws a clear error naming the packages when one is missing.
 */
export async function loadFonts(paths: FontPaths = DEJAVU): Promise<LoadedFonts> {
  const [regular, bold] = await Promise.all([readFont(paths.regular), readFont(paths.bold)]);
  return { regular, bold };
}

function readFont(path: string): Promise<ParsedFont> {
  let font = cache.get(path);
  if (!font) {
    font = readFile(path).then(
      (bytes) => withPlainShaping(fontkit.create(bytes)),
      (err: NodeJS.ErrnoException) => {
        cache.delete(path); // a later install fixes it without a restart
        throw new Error(
          `cannot render invoice PDFs: font ${path} is unreadable (${err.code ?? err.message}); ` +
            'reinstall the npm package dejavu-fonts-ttf (npm install) or install the Debian package fonts-dejavu-core',
          { cause: err },
        );
      },
    );
    cache.set(path, font);
  }
  return font;
}
