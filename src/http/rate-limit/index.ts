import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../shared/errors.ts';
import { memoryCounters, pluginStore, tableCounters } from './stores.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const tooMany = (what: string) => (_req: FastifyRequest, ctx: { ttl: number; max: number }) =>
  new AppError('too_many_requests', 'rate_limited', `too many ${what}; try again in ${Math.ceil(ctx.ttl / 1000)} s`, {
    retryAfterSeconds: Math.ceil(ctx.ttl / 1000),
    limit: ctx.max,
  });

/**
 * Every authenticated route is limited per credential (token or session) — a stolen or runaway
 * token cannot flood the server or its mail. MUST be installed after installAuth (the key is
 * the credential it resolved) and before the routes (the plugin hooks routes as they are added).
 * Counters live in the database on PostgreSQL (shared by every process), in memory on SQLite.
 * If the counter store fails, the request goes on: the limit is a guard, not a dependency.
 */
export async function installRateLimits(app: FastifyInstance, deps: Deps): Promise<void> {
  const counters = deps.db.dialect === 'postgres' ? tableCounters(deps.db, deps.clock) : memoryCounters(deps.clock);
  await app.register(rateLimit, {
    global: true,
    store: pluginStore(counters),
    skipOnError: true,
    max: deps.config.rateLimits.apiPerMinute,
    timeWindow: MINUTE,
    keyGenerator: (req) => `api:${req.principal?.credentialId ?? ''}`,
    // Public routes (health, docs) are not counted here; sign-up and login have limits of their own.
    allowList: (req) => !req.principal,
    errorResponseBuilder: tooMany('requests with this credential'),
  });
}

/** Sign-ups per client address per hour (CHANTIER_RATE_LIMIT_SIGNUP): the route's `config.rateLimit`. */
export const signupRateLimit = (deps: Deps): RateLimitOptions => ({
  max: deps.config.rateLimits.signupPerHour,
  timeWindow: HOUR,
  keyGenerator: (req) => `signup:${req.ip}`,
  allowList: () => false,
  errorResponseBuilder: tooMany('sign-ups from this address'),
});

/** Logins per client address per minute (CHANTIER_RATE_LIMIT_LOGIN), besides the failed-login limits. */
export const loginRateLimit = (deps: Deps): RateLimitOptions => ({
  max: deps.config.rateLimits.loginPerMinute,
  timeWindow: MINUTE,
  keyGenerator: (req) => `login:${req.ip}`,
  allowList: () => false,
  errorResponseBuilder: tooMany('logins from this address'),
});
