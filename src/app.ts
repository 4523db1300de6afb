import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { accountRoutes } from './accounts/index.ts';
import { automationRoutes } from './automation/index.ts';
import { clientRoutes } from './clients/index.ts';
import { consolidationRoutes } from './consolidation/routes.ts';
import type { Deps } from './deps.ts';
import { installAuth } from './http/auth.ts';
import { installBusinessEvents } from './http/business-events.ts';
import { installErrorHandler } from './http/error-handler.ts';
import { installIdempotency } from './http/idempotency.ts';
import { installRateLimits } from './http/rate-limit/index.ts';
import { installTextGuard } from './http/text-guard.ts';
import { installWebApp } from './http/web-app.ts';
import { invoicePdfRoutes } from './invoicing/pdf-routes.ts';
import { invoiceRoutes } from './invoicing/routes.ts';
import { emailRoutes } from './mail/index.ts';
import { organizationRoutes } from './organization/index.ts';
import { taskContentRoutes } from './task-content/index.ts';
import { taskTypeRoutes } from './task-types/index.ts';
import { taskRoutes } from './tasks/index.ts';
import { transitionRoutes } from './transition/index.ts';

/** Route plugins that later capabilities add (automations, invoices…), each under /api/v1. */
export type ApiPlugin = (deps: Deps) => FastifyPluginAsyncZod;

/** Builds the HTTP application. Listening is the caller's business (tests use `inject`). */
export async function buildApp(deps: Deps, extra: ApiPlugin[] = []): Promise<FastifyInstance> {
  // Fastify's own instance type; route plugins add the zod type provider themselves.
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    trustProxy: deps.config.trustProxy,
    bodyLimit: 1024 * 1024,
    logController: new LogController({ disableRequestLogging: deps.config.logLevel !== 'debug' }),
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Unknown GET paths outside the API open the web app (its routes live in the browser).
  installErrorHandler(app, { page: await installWebApp(app, deps.config.webDir) });
  installTextGuard(app);
  installBusinessEvents(app);

  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: deps.config.maxUploadBytes, files: 1, fields: 10, parts: 20 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Chantier API',
        version: '1',
        description: 'Field-service work and billing: tasks, sub-tasks, consolidation, invoices.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token (POST /api/v1/tokens) or the signup token' },
          session: { type: 'apiKey', in: 'cookie', name: 'chantier_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  installAuth(app, deps);
  await installRateLimits(app, deps);
  installIdempotency(app, deps);

  app.get('/healthz', { config: { public: true }, schema: { hide: true } }, async () => {
    await deps.db.kysely.selectFrom('organizations').select('id').limit(1).execute();
    return { status: 'ok' };
  });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  const plugins: ApiPlugin[] = [
    accountRoutes,
    clientRoutes,
    taskTypeRoutes,
    taskRoutes,
    transitionRoutes,
    automationRoutes,
    consolidationRoutes,
    taskContentRoutes,
    organizationRoutes,
    emailRoutes,
    invoiceRoutes,
    invoicePdfRoutes,
    ...extra,
  ];
  for (const plugin of plugins) await app.register(plugin(deps), { prefix: '/api/v1' });
  return app;
}
