import type { Readable } from 'node:stream';
import type { Executor } from '../db/index.ts';
import type { Deps } from '../deps.ts';

/** What an email names to attach. Only the reference is queued; bytes are read at delivery. */
export type AttachmentRef =
  | { kind: 'attachment'; attachmentId: string }
  | { kind: 'invoice_pdf'; invoiceId: string };

export type AttachmentKind = AttachmentRef['kind'];

export interface ResolvedAttachment {
  filename: string;
  contentType: string;
  content: Buffer | Readable;
}

export interface ResolveContext {
  db: Executor;
  deps: Deps;
  /** The organization of the outbox row: every lookup MUST filter by it. */
  orgId: string;
}

/**
 * Turns a reference into bytes when the email is delivered (possibly again, on a retry).
 * Throw `PermanentDeliveryError` (src/outbox) when the thing is gone for good.
 */
export type AttachmentResolver<R extends AttachmentRef = AttachmentRef> = (ref: R, ctx: ResolveContext) => Promise<ResolvedAttachment>;

/**
 * One resolver per kind, in `deps.attachmentResolvers` (wired in src/runtime.ts).
 * `attachment` is built in; `invoice_pdf` is registered by the invoicing module.
 */
export type AttachmentResolvers = { [K in AttachmentKind]?: AttachmentResolver<Extract<AttachmentRef, { kind: K }>> };
