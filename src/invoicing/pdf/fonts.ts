import { readFile } from 'node:fs/promises';

/** Where the invoice fonts are read from. */
export interface FontPaths {
  regular: string;
  bold: string;
}

/**
 * DejaVu Sans from Debian's fonts-dejavu-core. PDFKit's built-in Helvetica only covers
 * WinAnsi: a Polish, Greek or Vietnamese client name would print as garbage, silently.
 */
export const DEJAVU: FontPaths = {
  regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
};

export interface LoadedFonts {
  regular: Buffer;
  bold: Buffer;
}

const cache = new Map<string, Promise<Buffer>>();

/** Reads both fonts (once per path per process); throws a clear error naming the Debian package when one is missing. */
export async function loadFonts(paths: FontPaths = DEJAVU): Promise<LoadedFonts> {
  const [regular, bold] = await Promise.all([readFont(paths.regular), readFont(paths.bold)]);
  return { regular, bold };
}

function readFont(path: string): Promise<Buffer> {
  let font = cache.get(path);
  if (!font) {
    font = readFile(path).catch((err: NodeJS.ErrnoException) => {
      cache.delete(path); // a later install fixes it without a restart
      throw new Error(
        `cannot render invoice PDFs: font ${path} is unreadable (${err.code ?? err.message}); ` +
          'install the Debian package fonts-dejavu-core (apt-get install fonts-dejavu-core)',
        { cause: err },
      );
    });
    cache.set(path, font);
  }
  return font;
}
