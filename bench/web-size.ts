// What the browser downloads for the first screen: dist/web/index.html's entry script, the
// stylesheets and module preloads it links, and every module those import statically
// (transitively); lazy screens (`import()`) are not counted. Sizes are gzip at level 9.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface FirstScreenSize {
  files: { path: string; bytes: number; gzipBytes: number }[];
  jsGzip: number;
  cssGzip: number;
  totalGzip: number;
}

const attr = (tag: string, name: string) => new RegExp(`${name}\\s*=\\s*["']([^"']+)["']`).exec(tag)?.[1];

/** The asset paths (relative to dist/web) index.html loads before anything runs. */
function entryAssets(html: string): string[] {
  const out: string[] = [];
  for (const tag of html.match(/<script\b[^>]*>/g) ?? []) {
    const src = attr(tag, 'src');
    if (src && attr(tag, 'type') === 'module') out.push(src);
  }
  for (const tag of html.match(/<link\b[^>]*>/g) ?? []) {
    const rel = attr(tag, 'rel');
    const href = attr(tag, 'href');
    if (href && (rel === 'stylesheet' || rel === 'modulepreload')) out.push(href);
  }
  return out.filter((p) => !/^https?:/.test(p)).map((p) => p.replace(/^\//, ''));
}

/** Static `import … from "./x.js"` and `import "./x.js"` of a minified module (not `import(…)`). */
function staticImports(code: string): string[] {
  const out: string[] = [];
  for (const m of code.matchAll(/\bimport\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+\.(?:js|css))["']/g)) out.push(m[1]);
  return out;
}

/** Sums the first screen's JS and CSS, gzip, from a built dist/web. */
export function firstScreenSize(distWeb: string): FirstScreenSize {
  const index = join(distWeb, 'index.html');
  if (!existsSync(index)) throw new Error(`${index} is missing: run \`npm run build:web\` first`);
  const seen = new Set<string>();
  const queue = entryAssets(readFileSync(index, 'utf8'));
  const files: FirstScreenSize['files'] = [];
  while (queue.length) {
    const rel = posix.normalize(queue.shift()!);
    if (seen.has(rel)) continue;
    seen.add(rel);
    const bytes = readFileSync(join(distWeb, rel));
    files.push({ path: rel, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length });
    if (rel.endsWith('.js')) {
      for (const imp of staticImports(bytes.toString('utf8'))) {
        queue.push(imp.startsWith('/') ? imp.slice(1) : posix.join(dirname(rel), imp));
      }
    }
  }
  const sum = (ext: string) => files.filter((f) => f.path.endsWith(ext)).reduce((s, f) => s + f.gzipBytes, 0);
  return { files, jsGzip: sum('.js'), cssGzip: sum('.css'), totalGzip: sum('.js') + sum('.css') };
}
