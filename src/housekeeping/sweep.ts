import type { Deps } from '../deps.ts';
import { LOGIN_WINDOW_MS } from '../accounts/rate-limit.ts';
import { KEY_TTL_MS } from '../http/idempotency.ts';
import { periodic, type Periodic } from '../shared/periodic.ts';

/** Revoked or expired API tokens stay listed (with their dates) this long, then go. */
export const REVOKED_TOKEN_RETENTION_MS = 30 * 86_400_000;
export const SWEEP_INTERVAL_MS = 3_600_000;

export interface SweepCounts {
  idempotencyKeys: number;
  sessions: number;
  loginFailures: number;
}

/**
 * Deletes what has expired: Idempotency-Keys past their 24 hours, sessions that ended (expired
 * or logged out), API tokens revoked or expired more than 30 days ago, login-failure windows
 * that are over. Safe to run from several processes at once.
 */
export async function sweepExpired(deps: Deps): Promise<SweepCounts> {
  const now = deps.clock.now().getTime();
  const iso = (ms: number) => new Date(ms).toISOString();
  const db = deps.db.kysely;
  const keys = await db
    .deleteFrom('idempotency_keys')
    .where('created_at', '<', iso(now - KEY_TTL_MS))
    .executeTakeFirst();
  const sessions = await db
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([
        eb.and([eb('kind', '=', 'session'), eb.or([eb('expires_at', '<', iso(now)), eb('revoked_at', 'is not', null)])]),
        eb.and([
          eb('kind', '=', 'token'),
          eb.or([eb('expires_at', '<', iso(now - REVOKED_TOKEN_RETENTION_MS)), eb('revoked_at', '<', iso(now - REVOKED_TOKEN_RETENTION_MS))]),
        ]),
      ]),
    )
    .executeTakeFirst();
  const failures = await db
    .deleteFrom('login_failures')
    .where('window_start', '<=', iso(now - LOGIN_WINDOW_MS))
    .executeTakeFirst();
  return { idempotencyKeys: Number(keys.numDeletedRows), sessions: Number(sessions.numDeletedRows), loginFailures: Number(failures.numDeletedRows) };
}

export type Sweeper = Periodic;

/** Runs sweepExpired at start and every interval; a failed sweep is logged and tried again later. */
export function createSweeper(deps: Deps, o: { intervalMs?: number } = {}): Sweeper {
  return periodic(deps.log, o.intervalMs ?? SWEEP_INTERVAL_MS, 'sweep of expired rows failed', async () => {
    const counts = await sweepExpired(deps);
    if (counts.idempotencyKeys + counts.sessions + counts.loginFailures > 0) deps.log.info(counts, 'swept expired keys, sessions and login attempts');
  });
}
