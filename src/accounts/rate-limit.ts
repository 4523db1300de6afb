import type { Deps } from '../deps.ts';
import { AppError } from '../shared/errors.ts';

export const LOGIN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 30;

const limitFor = (key: string) => (key.startsWith('ip:') ? MAX_FAILURES_PER_ADDRESS : MAX_FAILURES_PER_ACCOUNT);

/**
 * Counts a login attempt against each key BEFORE its password is checked, and refuses it when
 * that goes past a key's limit in the window. Counting first (one atomic upsert per key) is
 * what stops many simultaneous guesses from all passing a check made before any had failed.
 * An attempt that turns out not to be a failure is given back with `giveBackLoginAttempt`.
 */
export async function takeLoginAttempt(deps: Deps, keys: string[]): Promise<void> {
  const now = deps.clock.now();
  const windowStart = new Date(now.getTime() - LOGIN_WINDOW_MS).toISOString();
  // Windows that are over count for nothing: drop them, so the table holds only the last 15 minutes.
  await deps.db.kysely.deleteFrom('login_failures').where('window_start', '<=', windowStart).execute();
  let retryAfterMs = 0;
  for (const key of keys) {
    const row = await deps.db.kysely
      .insertInto('login_failures')
      .values({ key, count: 1, window_start: now.toISOString() })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          count: eb
            .case()
            .when('login_failures.window_start', '<=', windowStart)
            .then(1)
            .else(eb('login_failures.count', '+', 1))
            .end(),
          window_start: eb
            .case()
            .when('login_failures.window_start', '<=', windowStart)
            .then(now.toISOString())
            .else(eb.ref('login_failures.window_start'))
            .end(),
        })),
      )
      .returning(['count', 'window_start'])
      .executeTakeFirstOrThrow();
    if (Number(row.count) > limitFor(key)) {
      retryAfterMs = Math.max(retryAfterMs, Date.parse(row.window_start) + LOGIN_WINDOW_MS - now.getTime());
    }
  }
  if (retryAfterMs > 0) {
    // A refused attempt checks no password: it is not a failure and does not extend the lock.
    await giveBackLoginAttempt(deps, keys);
    throw new AppError('too_many_requests', 'too_many_login_attempts', 'too many failed logins; try again later', {
      retryAfterSeconds: Math.ceil(retryAfterMs / 1000),
    });
  }
}

/** Uncounts an attempt taken by `takeLoginAttempt` that was not a failure. */
export async function giveBackLoginAttempt(deps: Deps, keys: string[]): Promise<void> {
  await deps.db.kysely
    .updateTable('login_failures')
    .set((eb) => ({ count: eb('count', '-', 1) }))
    .where('key', 'in', keys)
    .where('count', '>', 0)
    .execute();
}

export async function clearLoginFailures(deps: Deps, key: string): Promise<void> {
  await deps.db.kysely.deleteFrom('login_failures').where('key', '=', key).execute();
}
