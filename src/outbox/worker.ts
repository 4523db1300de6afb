import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { retryDelayMs } from './backoff.ts';
import { claimDue, failExhaustedLeases } from './claim.ts';
import { settle, type Settlement } from './settle.ts';
import { PermanentDeliveryError, type Deliverers, type OutboxKind, type OutboxRow } from './types.ts';

export interface WorkerOptions {
  deliverers: Deliverers;
  workerId?: string;
  /** Rows claimed (and delivered concurrently) per round. */
  batchSize?: number;
  /** How long a claim holds a row; past it, another worker may take the row again. */
  leaseMs?: number;
  /** Pause between rounds that found nothing to do. */
  pollMs?: number;
  random?: () => number;
}

export interface RoundSummary {
  claimed: number;
  sent: number;
  retrying: number;
  failed: number;
}

export interface OutboxWorker {
  readonly id: string;
  /** One round: claim due rows, deliver them, record each outcome. Tests call this directly. */
  runOnce(): Promise<RoundSummary>;
  /** Runs rounds on a timer until `stop()`. */
  start(): void;
  /** Stops the loop, waits for the round in flight and closes the deliverers. */
  stop(): Promise<void>;
}

export const DEFAULT_LEASE_MS = 10 * 60_000;

/** The outbox worker: delivers rows after commit, at least once, with retries and backoff. */
export function createOutboxWorker(deps: Deps, o: WorkerOptions): OutboxWorker {
  const id = o.workerId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const kinds = Object.keys(o.deliverers) as OutboxKind[];
  const leaseMs = o.leaseMs ?? DEFAULT_LEASE_MS;
  const batchSize = o.batchSize ?? 5;
  const pollMs = o.pollMs ?? 2000;
  const random = o.random ?? Math.random;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();
  let running = false;

  async function attempt(row: OutboxRow): Promise<Settlement['state']> {
    let outcome: Settlement;
    let cause: unknown;
    try {
      await o.deliverers[row.kind]!.deliver(row);
      outcome = { state: 'sent' };
    } catch (err) {
      cause = err;
      const error = describe(err);
      if (err instanceof PermanentDeliveryError || row.attempts >= row.max_attempts) outcome = { state: 'failed', error };
      else outcome = { state: 'pending', error, nextAttemptAt: new Date(deps.clock.now().getTime() + retryDelayMs(row.attempts, random)) };
    }
    const kept = await settle(deps.db, row, deps.clock.now(), outcome);
    if (!kept) deps.log.warn({ outboxId: row.id }, 'outbox lease lost before the outcome was recorded; another worker took the row');
    else logOutcome(deps, row, outcome, cause);
    return outcome.state;
  }

  async function runOnce(): Promise<RoundSummary> {
    const now = deps.clock.now();
    await failExhaustedLeases(deps.db, now);
    const rows = await claimDue(deps.db, { workerId: id, kinds, now, leaseMs, limit: batchSize });
    const states = await Promise.all(rows.map(attempt));
    const count = (s: string) => states.filter((x) => x === s).length;
    return { claimed: rows.length, sent: count('sent'), retrying: count('pending'), failed: count('failed') };
  }

  const loop = async () => {
    let busy = false;
    try {
      const round = runOnce();
      inFlight = round;
      busy = (await round).claimed === batchSize;
    } catch (err) {
      deps.log.error({ err }, 'outbox worker round failed');
    }
    if (running) timer = setTimeout(loop, busy ? 0 : pollMs);
  };

  return {
    id,
    runOnce,
    start() {
      if (running) return;
      running = true;
      timer = setTimeout(loop, 0);
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      await inFlight.catch(() => {});
      for (const d of Object.values(o.deliverers)) await d?.close?.();
    },
  };
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { responseCode?: number }).responseCode;
  return code ? `${err.message} (SMTP ${code})` : err.message;
}

/** One line per delivery attempt's outcome: `email sent`, `email failed (giving up)`, `webhook failed (will retry)`. */
function logOutcome(deps: Deps, row: OutboxRow, outcome: Settlement, err: unknown): void {
  const ids = { orgId: row.org_id, outboxId: row.id, taskId: row.task_id, kind: row.kind, attempts: row.attempts, messageId: row.message_id };
  if (outcome.state === 'sent') {
    deps.log.info({ event: `${row.kind}_sent`, ...ids }, `${row.kind} ${row.id} sent`);
    return;
  }
  const giveUp = outcome.state === 'failed';
  deps.log.warn(
    { event: giveUp ? `${row.kind}_failed` : `${row.kind}_retrying`, ...ids, err },
    `${row.kind} ${row.id} ${giveUp ? 'failed (giving up)' : 'failed (will retry)'}: ${outcome.error}`,
  );
}
