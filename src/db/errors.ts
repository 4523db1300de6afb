import { type AppError, conflict } from '../shared/errors.ts';

/** What the stores say when a write loses a race. Nothing of the failed transaction was kept. */

const codeOf = (err: unknown) => (err as { code?: unknown } | null)?.code;

/** The database error in `err` or in its causes (an automation wraps what its action met). */
function databaseErrorIn(err: unknown, codes: unknown[]): unknown {
  let e = err;
  for (let depth = 0; e && depth < 10; depth++) {
    if (codes.includes(codeOf(e))) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

const UNIQUE_CODES = ['23505', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'];
const TRANSIENT_CODES = ['40P01', '40001'];

/** True for a unique-constraint violation on PostgreSQL (23505) or SQLite. */
export function isUniqueViolation(err: unknown): boolean {
  return UNIQUE_CODES.includes(codeOf(err) as string);
}

/** True when a write's own count check failed (chantier_expect_rows, migration 0019: CH001). */
export function isExpectRowsFailure(err: unknown): boolean {
  return codeOf(err) === 'CH001';
}

/** True when PostgreSQL's lock_timeout expired (55P03): the statement gave up waiting for a lock. */
export function isLockTimeout(err: unknown): boolean {
  return codeOf(err) === '55P03';
}

/**
 * True for a PostgreSQL deadlock (40P01) or serialization failure (40001), even wrapped: the
 * transaction was rolled back whole, and running it again from the start is correct.
 */
export function isTransientConflict(err: unknown): boolean {
  return databaseErrorIn(err, TRANSIENT_CODES) !== undefined;
}

/**
 * Unique constraints that clients can run into, by PostgreSQL constraint name and by the
 * columns SQLite names ("UNIQUE constraint failed: users.org_id, users.email_lower").
 */
const KNOWN_UNIQUE: { constraint: string; columns: string; error: () => AppError }[] = [
  {
    constraint: 'users_org_email_uq',
    columns: 'users.org_id, users.email_lower',
    error: () => conflict('email_taken', 'another user of this organization has this email', { field: 'email' }),
  },
  {
    constraint: 'task_types_org_key_uq',
    columns: 'task_types.org_id, task_types.key',
    error: () => conflict('task_type_key_taken', 'a task type with this key already exists', { field: 'key' }),
  },
];

/**
 * The 409 a client gets for a write that lost a race at the database: a unique constraint
 * (a known one keeps its own code, e.g. `email_taken`; others answer `already_exists`), or a
 * deadlock or serialization failure that retrying did not clear (`write_conflict`, retryable).
 * Undefined for any other error.
 */
export function conflictFromDatabase(err: unknown): AppError | undefined {
  const unique = databaseErrorIn(err, UNIQUE_CODES);
  if (unique) {
    const e = unique as { constraint?: unknown; message?: unknown };
    const known = KNOWN_UNIQUE.find((k) => e.constraint === k.constraint || (typeof e.message === 'string' && e.message.endsWith(`: ${k.columns}`)));
    const mapped = known ? known.error() : conflict('already_exists', 'this was just created by another request; reload and try again');
    return Object.assign(mapped, { cause: err });
  }
  if (isTransientConflict(err)) {
    const mapped = conflict('write_conflict', 'another request changed the same rows at the same time; nothing was saved, try again', { retryable: true });
    return Object.assign(mapped, { cause: err });
  }
  return undefined;
}
