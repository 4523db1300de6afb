export { enqueue, DEFAULT_MAX_ATTEMPTS, type NewOutboxRow } from './enqueue.ts';
export { createOutboxWorker, DEFAULT_LEASE_MS, type OutboxWorker, type RoundSummary, type WorkerOptions } from './worker.ts';
export { retryDelayMs, BASE_DELAY_MS, MAX_DELAY_MS } from './backoff.ts';
export { claimDue } from './claim.ts';
export { PermanentDeliveryError, type Deliverer, type Deliverers, type OutboxKind, type OutboxRow, type OutboxState } from './types.ts';
