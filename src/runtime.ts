import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.ts';
import { migrateToLatest, openDatabase, type Db } from './db/index.ts';
import { seedDefaultRules } from './automation/index.ts';
import { sweepPendingInto } from './consolidation/index.ts';
import type { Deps } from './deps.ts';
import { localBlobStore } from './files/local-blob-store.ts';
import { invoicePdfResolver, invoiceSummaryForTask } from './invoicing/index.ts';
import { taskAttachmentResolver } from './mail/index.ts';
import { openSecretBox } from './secrets/index.ts';
import { systemClock, type Clock } from './shared/clock.ts';
import { applyTransition } from './transition/index.ts';

/** Secrets never reach the log. */
export const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.token',
  '*.secret',
];

/** The server's logger; `destination` defaults to stdout (tests pass a stream to read it back). */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: DestinationStream): Logger {
  const options = { level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

/** Opens the store, brings its schema up to date and wires the dependencies. */
export async function createDeps(config: Config, opts: { db?: Db; clock?: Clock; log?: Logger; migrate?: boolean } = {}): Promise<Deps> {
  const log = opts.log ?? createLogger(config);
  const db =
    opts.db ??
    openDatabase({
      url: config.databaseUrl,
      onConnectionError: (err) => log.warn({ err }, 'a database connection failed; the next query opens a new one'),
    });
  if (opts.migrate !== false) await migrateToLatest(db);
  return {
    config,
    db,
    clock: opts.clock ?? systemClock,
    blobs: localBlobStore(config.filesDir),
    log,
    secrets: await openSecretBox(config, db, log),
    // The steps of a transition are written out, in order, in src/transition/transition.ts.
    applyTransition,
    transitionHooks: [],
    taskCreatedHooks: [sweepPendingInto],
    orgSeeders: [seedDefaultRules],
    attachmentResolvers: { attachment: taskAttachmentResolver, invoice_pdf: invoicePdfResolver },
    invoiceSummaryFor: invoiceSummaryForTask,
  };
}
