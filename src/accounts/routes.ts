import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { principalOf, SESSION_COOKIE } from '../http/auth.ts';
import { loginRateLimit, signupRateLimit } from '../http/rate-limit/index.ts';
import { errors, IdParams, Timestamp } from '../http/schemas.ts';
import { createToken, listTokens, revokeCurrent, revokeToken } from './credentials.ts';
import { login } from './login.ts';
import {
  CreatedTokenSchema,
  CreateTokenBody,
  CreateUserBody,
  LoginBody,
  OrganizationSchema,
  SignupBody,
  TokenSchema,
  UpdateUserBody,
  UserSchema,
} from './schemas.ts';
import { signup } from './signup.ts';
import { createUser, getUser, listUsers, updateUser } from './users.ts';

const tooMany = { 429: z.object({ error: z.object({ type: z.string(), code: z.string(), message: z.string(), details: z.unknown() }) }) };

export const accountRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/signup',
      {
        config: { public: true, rateLimit: signupRateLimit(deps) },
        schema: {
          tags: ['auth'],
          summary: 'Create an organization with its first admin; returns a bearer token',
          security: [],
          body: SignupBody,
          response: {
            201: z.object({ organization: OrganizationSchema, user: UserSchema.pick({ id: true, name: true, email: true, role: true }), token: z.string() }),
            ...errors,
          },
        },
      },
      async (req, reply) => reply.status(201).send(await signup(deps, req.body)),
    );

    app.post(
      '/auth/login',
      {
        config: { public: true, rateLimit: loginRateLimit(deps) },
        schema: {
          tags: ['auth'],
          summary: 'Open a session (sets a cookie for the web app)',
          security: [],
          body: LoginBody,
          response: {
            200: z.object({
              user: z.object({ id: z.string(), name: z.string(), email: z.string(), role: z.string(), orgId: z.string() }),
              expiresAt: Timestamp,
            }),
            ...errors,
            ...tooMany,
          },
        },
      },
      async (req, reply) => {
        const s = await login(deps, req.body, req.ip);
        reply.setCookie(SESSION_COOKIE, s.secret, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: deps.config.publicUrl.startsWith('https:'),
          expires: new Date(s.expiresAt),
        });
        return { user: s.user, expiresAt: s.expiresAt };
      },
    );

    app.post(
      '/auth/logout',
      {
        schema: { tags: ['auth'], summary: 'End this session, or revoke the token used', response: { 204: z.null(), ...errors } },
      },
      async (req, reply) => {
        await revokeCurrent(deps, principalOf(req));
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/tokens',
      {
        schema: { tags: ['auth'], summary: 'My API tokens', response: { 200: z.object({ items: z.array(TokenSchema) }), ...errors } },
      },
      async (req) => ({ items: await listTokens(deps, principalOf(req)) }),
    );

    app.post(
      '/tokens',
      {
        schema: {
          tags: ['auth'],
          summary: 'Create a personal API token (the secret is shown once)',
          body: CreateTokenBody,
          response: { 201: CreatedTokenSchema, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await createToken(deps, principalOf(req), req.body)),
    );

    app.delete(
      '/tokens/:id',
      {
        schema: { tags: ['auth'], summary: 'Revoke one of my API tokens', params: IdParams, response: { 204: z.null(), ...errors } },
      },
      async (req, reply) => {
        await revokeToken(deps, principalOf(req), req.params.id);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/users',
      {
        schema: { tags: ['users'], summary: 'List users (admin, dispatcher)', response: { 200: z.object({ items: z.array(UserSchema) }), ...errors } },
      },
      async (req) => ({ items: await listUsers(deps, principalOf(req)) }),
    );

    app.get(
      '/users/me',
      {
        schema: { tags: ['users'], summary: 'The calling user', response: { 200: UserSchema, ...errors } },
      },
      async (req) => getUser(deps, principalOf(req), principalOf(req).userId),
    );

    app.get(
      '/users/:id',
      {
        schema: { tags: ['users'], summary: 'Get a user', params: IdParams, response: { 200: UserSchema, ...errors } },
      },
      async (req) => getUser(deps, principalOf(req), req.params.id),
    );

    app.post(
      '/users',
      {
        schema: { tags: ['users'], summary: 'Add a user (admin)', body: CreateUserBody, response: { 201: UserSchema, ...errors } },
      },
      async (req, reply) => reply.status(201).send(await createUser(deps, principalOf(req), req.body)),
    );

    app.patch(
      '/users/:id',
      {
        schema: {
          tags: ['users'],
          summary: 'Edit a user (admin; anyone may change their own name, and their email and password with currentPassword)',
          params: IdParams,
          body: UpdateUserBody,
          response: { 200: UserSchema, ...errors },
        },
      },
      async (req) => updateUser(deps, principalOf(req), req.params.id, req.body),
    );
  };
