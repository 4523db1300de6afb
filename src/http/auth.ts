import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticate } from '../accounts/authenticate.ts';
import type { Principal } from '../accounts/principal.ts';
import type { Deps } from '../deps.ts';
import { unauthorized } from '../shared/errors.ts';
import { checkCookieWriteOrigin } from './origin-check.ts';

export const SESSION_COOKIE = 'chantier_session';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** Route needs no credentials (signup, login, health, docs). */
    public?: boolean;
  }
}

/** Every /api route needs a session cookie or `Authorization: Bearer`, unless marked public. */
export function installAuth(app: FastifyInstance, deps: Deps): void {
  app.addHook('onRequest', async (request) => {
    // An unknown route answers 404 route_not_found with or without credentials (the routes are public in /openapi.json).
    if (!request.url.startsWith('/api/') || request.is404 || request.routeOptions.config?.public) return;
    const token = bearer(request);
    const secret = token ?? request.cookies?.[SESSION_COOKIE];
    if (!secret) throw unauthorized();
    if (!token) checkCookieWriteOrigin(request, deps.config);
    const principal = await authenticate(deps, secret);
    if (!principal) throw unauthorized('invalid_credentials', 'the token or session is invalid, expired or revoked');
    request.principal = principal;
  });
}

function bearer(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1];
}

/** The authenticated caller; only call on non-public routes. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthorized();
  return request.principal;
}
