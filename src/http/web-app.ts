import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Paths that belong to the server, never to the web app: they keep their JSON 404s. */
const SERVER_PATHS = /^\/(api\/|api$|docs(\/|$)|openapi\.json|healthz|assets\/)/;

const NOT_BUILT = `<!doctype html><html lang="fr"><meta charset="utf-8"><title>Chantier</title>
<body style="font-family:sans-serif;max-width:40rem;margin:3rem auto">
<h1>L'application web n'est pas construite</h1><p>Lancez <code>npm run build:web</code> puis redémarrez.
L'API répond sous <a href="/docs">/docs</a>.</p>
<h1 lang="en">The web app is not built</h1><p lang="en">Run <code>npm run build:web</code> and restart.
The API answers under <a href="/docs">/docs</a>.</p></body></html>`;

/** A page fallback for unknown paths: the app's index.html (client-side routes), or false when the path is the server's. */
export type PageFallback = (request: FastifyRequest, reply: FastifyReply) => boolean;

/**
 * Serves the built app (dist/web): hashed files under /assets with a year of cache, and
 * index.html for any other GET the server does not own, so that /tasks/42 opens in the app.
 */
export async function installWebApp(app: FastifyInstance, webDir: string): Promise<PageFallback> {
  const assets = join(webDir, 'assets');
  if (existsSync(assets)) {
    // Vite names every file under assets/ by its content hash: a changed file gets a new name.
    await app.register(fastifyStatic, { root: assets, prefix: '/assets/', immutable: true, maxAge: '365d', index: false });
  }
  const indexFile = join(webDir, 'index.html');
  return (request, reply) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || SERVER_PATHS.test(request.url)) return false;
    // Read at each request: a rebuild is served without a restart; the file is small.
    const html = existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : NOT_BUILT;
    void reply.status(200).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
    return true;
  };
}
