import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { forbidden } from '../shared/errors.ts';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Cross-site request forgery: a browser sends the session cookie with a form or fetch that
 * another site starts, so a cookie-authenticated write must come from the server's own
 * origin — CHANTIER_PUBLIC_URL's when it is set, otherwise the request's Host (with
 * CHANTIER_TRUST_PROXY, X-Forwarded-Host). `Origin` decides when present (`null`, sent by
 * sandboxed frames and some redirects, is refused); without it, `Sec-Fetch-Site` does
 * (`same-origin`, or `none` for what the user typed, pass). A request with neither comes
 * from no browser — browsers send `Origin` on every cross-origin write, and on same-origin
 * POST too — and passes, like Go's net/http CrossOriginProtection. Bearer tokens are never
 * sent by a browser on its own, so they are not checked. SameSite=Lax stays as a second line.
 */
export function checkCookieWriteOrigin(request: FastifyRequest, config: Pick<Config, 'publicOrigin'>): void {
  if (!WRITES.has(request.method)) return;
  const origin = request.headers.origin;
  if (origin !== undefined) {
    if (isOwnOrigin(origin, request, config)) return;
    throw mismatch(origin);
  }
  const site = request.headers['sec-fetch-site'];
  if (site === undefined || site === 'same-origin' || site === 'none') return;
  throw mismatch(`Sec-Fetch-Site: ${site}`);
}

function isOwnOrigin(origin: string, request: FastifyRequest, config: Pick<Config, 'publicOrigin'>): boolean {
  if (!URL.canParse(origin)) return false;
  const given = new URL(origin);
  if (config.publicOrigin) return given.origin === config.publicOrigin;
  // The Host carries no scheme (a TLS proxy in front may not say it): the host and port decide.
  const own = `${given.protocol}//${request.host}`;
  return URL.canParse(own) && given.host === new URL(own).host;
}

const mismatch = (seen: string) => forbidden('origin_mismatch', 'a write with the session cookie must come from this server’s own pages', { origin: seen });
