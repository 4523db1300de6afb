import type { Selectable } from 'kysely';
import type { OutboxTable } from '../db/schema.ts';

export type OutboxRow = Selectable<OutboxTable>;
export type OutboxKind = OutboxTable['kind'];
export type OutboxState = OutboxTable['state'];

/**
 * Delivers one claimed row of its kind, after commit, outside any transaction. Throwing
 * schedules a retry with backoff; a `PermanentDeliveryError` fails the row at once.
 */
export interface Deliverer {
  deliver(row: OutboxRow): Promise<void>;
  close?(): Promise<void>;
}

export type Deliverers = Partial<Record<OutboxKind, Deliverer>>;

/** A failure no retry can cure (e.g. the file to attach was deleted). */
export class PermanentDeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentDeliveryError';
  }
}
