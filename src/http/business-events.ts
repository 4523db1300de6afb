import type { FastifyInstance } from 'fastify';
import { collectAfterCommit } from '../shared/after-commit.ts';

declare module 'fastify' {
  interface FastifyRequest {
    afterCommit?: (() => void)[];
  }
}

/** Business events noted during a request (invoice issued…) are logged once it succeeded. */
export function installBusinessEvents(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    request.afterCommit = collectAfterCommit(done);
  });
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode >= 400) return; // the work was rolled back: nothing happened
    for (const say of request.afterCommit ?? []) say();
  });
}
