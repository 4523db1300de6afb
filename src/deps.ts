import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Db } from './db/index.ts';
import type { BlobStore } from './files/blob-store.ts';
import type { InvoiceSummaryLookup } from './mail/compose.ts';
import type { AttachmentResolvers } from './mail/delivery.ts';
import type { Clock } from './shared/clock.ts';
import type { SecretBox } from './secrets/index.ts';
import type { Executor } from './db/index.ts';
import type { TaskRow } from './tasks/store.ts';
import type { ApplyTransition, TransitionStep } from './tasks/transition-event.ts';

/** Runs inside a task's creation transaction (progressive billing sweeps pending content here). */
export type TaskCreatedHook = (trx: Executor, task: TaskRow, deps: Deps) => Promise<void>;
/** Runs inside an organization's creation transaction, after its default task types. */
export type OrgSeeder = (trx: Executor, orgId: string, now: string) => Promise<void>;

/** Everything a service verb may need, built once at start-up and passed explicitly. */
export interface Deps {
  config: Config;
  db: Db;
  clock: Clock;
  blobs: BlobStore;
  log: Logger;
  /** Seals secrets stored in the database (webhook signing keys), AES-256-GCM. */
  secrets: SecretBox;
  /**
   * The transition sequence (src/transition/transition.ts), for the modules it calls that cause
   * transitions of their own — automations, consolidation, payments, credit notes — and so
   * cannot import it.
   */
  applyTransition: ApplyTransition;
  /**
   * Test seam: steps run at the very end of every transition, after the declared sequence; empty
   * in production (the sequence itself is written out in src/transition/transition.ts).
   */
  transitionHooks: TransitionStep[];
  taskCreatedHooks: TaskCreatedHook[];
  orgSeeders: OrgSeeder[];
  /** Email attachments by kind, resolved at delivery ('attachment' built in; invoicing adds 'invoice_pdf'). */
  attachmentResolvers: AttachmentResolvers;
  /** The invoice issued for a task ({invoice.*} email variables, the PDF to attach); set by invoicing. */
  invoiceSummaryFor?: InvoiceSummaryLookup;
}
