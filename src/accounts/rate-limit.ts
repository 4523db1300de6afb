import type { Deps } from '../deps.ts';
import { AppError } from '../shared/errors.ts';

export const LOGIN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 30;

const limitFor = (key: string) => (key.startsWith('ip:') ? MAX_FAILURES_PER_ADDRESS : MAX_FAILURES_PER_ACCOUNT);

/** Refuses a login attempt while its account or address has failed too often in the window. */
export async function checkLoginAllowed(deps: Deps, keys: string[]): Promise<void> {
  const rows = await deps.db.kysely.selectFrom('login_failures').selectAll().where('key', 'in', keys).execute();
  const now = deps.clock.now().getTime();
  for (const r of rows) {
    const age = now - Date.parse(r.window_start);
    if (age < LOGIN_WINDOW_MS && r.count >= limitFor(r.key)) {
      const retryAfter = Math.ceil((LOGIN_WINDOW_MS - age) / 1000);
      throw new AppError('too_many_requests', 'too_many_login_attempts', 'too many failed logins; try again later', {
        retryAfterSeconds: retryAfter,
      });
    }
  }
}

/** Counts one failure against each key, opening a new window when the old one is over. */
export async function recordLoginFailure(deps: Deps, keys: string[]): Promise<void> {
  const now = deps.clock.now();
  const windowStart = new Date(now.getTime() - LOGIN_WINDOW_MS).toISOString();
  for (const key of keys) {
    await deps.db.kysely
      .insertInto('login_failures')
      .values({ key, count: 1, window_start: now.toISOString() })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          count: eb.case().when('login_failures.window_start', '<', windowStart).then(1).else(eb('login_failures.count', '+', 1)).end(),
          window_start: eb
            .case()
            .when('login_failures.window_start', '<', windowStart)
            .then(now.toISOString())
            .else(eb.ref('login_failures.window_start'))
            .end(),
        })),
      )
      .execute();
  }
}

export async function clearLoginFailures(deps: Deps, key: string): Promise<void> {
  await deps.db.kysely.deleteFrom('login_failures').where('key', '=', key).execute();
}
