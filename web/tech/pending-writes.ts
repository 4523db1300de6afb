// The phone's "En attente" list: every write the technician made that the server has not
// confirmed yet. A write keeps ONE Idempotency-Key for its whole life (first try, automatic
// retries, a manual "Réessayer"), so the server applies it once however often it is sent.
import { useSyncExternalStore } from 'react';

export type PendingState = 'sending' | 'failed';

export interface PendingWrite {
  id: number;
  /** What the person did, in words ("Ligne : Tuyau 3/4"). */
  label: string;
  state: PendingState;
  /** Why the last try failed (shown in words). */
  error?: unknown;
  retry(): void;
  dismiss(): void;
}

/** The person gave up a write that kept failing: nothing to show at the form. */
export class DismissedWrite extends Error {
  constructor() {
    super('dismissed');
  }
}

let writes: PendingWrite[] = [];
const listeners = new Set<() => void>();
let nextId = 1;

function publish(next: PendingWrite[]): void {
  writes = next;
  for (const l of listeners) l();
}

function patch(id: number, change: Partial<PendingWrite>): void {
  publish(writes.map((w) => (w.id === id ? { ...w, ...change } : w)));
}

/**
 * Runs `send` (which must reuse the same Idempotency-Key on every call) and shows it as pending
 * until it succeeds. A failure that is not the server's refusal stays in the list with a retry.
 * Resolves with the server's answer; rejects on a refusal (4xx) so the form can show it.
 */
export function trackWrite<T>(label: string, send: () => Promise<T>, isRefusal: (err: unknown) => boolean): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    const attempt = () => {
      patch(id, { state: 'sending', error: undefined });
      send().then(
        (value) => {
          publish(writes.filter((w) => w.id !== id));
          resolve(value);
        },
        (err: unknown) => {
          if (isRefusal(err)) {
            publish(writes.filter((w) => w.id !== id));
            reject(err);
            return;
          }
          patch(id, { state: 'failed', error: err });
        },
      );
    };
    const dismiss = () => {
      publish(writes.filter((w) => w.id !== id));
      reject(new DismissedWrite());
    };
    publish([...writes, { id, label, state: 'sending', retry: attempt, dismiss }]);
    attempt();
  });
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

/** The writes pending now (outside React). */
export const pendingWritesNow = (): PendingWrite[] => writes;

/** The writes still pending, live. */
export function usePendingWrites(): PendingWrite[] {
  return useSyncExternalStore(subscribe, () => writes);
}
