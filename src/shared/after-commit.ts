import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Things to say once work has committed — a business event logged inside a transaction that
 * then rolls back would be a lie. A unit of work (an HTTP request, one task of a scheduled run)
 * collects them and says them only when it succeeded; a failure drops them.
 */
const collected = new AsyncLocalStorage<(() => void)[]>();

/** Runs `work`; what it registered with `afterCommit` runs when it succeeds, and is dropped when it throws. */
export async function announcingAfterCommit<T>(work: () => Promise<T>): Promise<T> {
  if (collected.getStore()) return work(); // the outermost unit announces
  const notes: (() => void)[] = [];
  const result = await collected.run(notes, work);
  for (const say of notes) say();
  return result;
}

/** Starts collecting for the rest of this async context; returns the list to flush (or drop) at its end. */
export function collectAfterCommit(run: () => void): (() => void)[] {
  const notes: (() => void)[] = [];
  collected.run(notes, run);
  return notes;
}

/** Runs `say` once the current unit of work has committed (at once when none is collecting). */
export function afterCommit(say: () => void): void {
  const notes = collected.getStore();
  if (notes) notes.push(say);
  else say();
}

/**
 * Runs `attempt`; when it throws, forgets what it registered (its transaction rolled back), so
 * that a retried transaction does not announce its failed attempt as well.
 */
export async function forgettingOnFailure<T>(attempt: () => Promise<T>): Promise<T> {
  const notes = collected.getStore();
  const mark = notes?.length ?? 0;
  try {
    return await attempt();
  } catch (err) {
    if (notes) notes.length = mark;
    throw err;
  }
}
