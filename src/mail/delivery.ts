import { Readable } from 'node:stream';
import { mailAddressOf } from '../config.ts';
import type { Executor } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { findOrganization } from '../organization/service.ts';
import { PermanentDeliveryError, type Deliverer, type OutboxRow } from '../outbox/index.ts';
import { mailTransport, type MailTransport } from './transport.ts';

/**
 * Delivering a queued email: the outbox row's payload, the attachment references it names and
 * the resolvers that turn them into bytes at delivery, and the outbox deliverer that sends it.
 */

/** The JSON of an 'email' outbox row: everything needed to send it, except attachment bytes. */
export interface EmailPayload {
  to: string[];
  subject: string;
  text: string;
  language: 'fr' | 'en';
  attachments: AttachmentRef[];
  /** Files left out by the size cap; the text already lists them. */
  notAttached: { name: string; size: number }[];
  /** The rule that queued it, when an automation did. */
  ruleId: string | null;
}

/** What an email names to attach. Only the reference is queued; bytes are read at delivery. */
export type AttachmentRef = { kind: 'attachment'; attachmentId: string } | { kind: 'invoice_pdf'; invoiceId: string };

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

/** Resolves every reference, in order; on a failure, the streams already opened are closed. */
export async function resolveAttachments(refs: AttachmentRef[], ctx: ResolveContext): Promise<ResolvedAttachment[]> {
  const out: ResolvedAttachment[] = [];
  try {
    for (const ref of refs) {
      const resolver = ctx.deps.attachmentResolvers[ref.kind] as AttachmentResolver | undefined;
      if (!resolver) throw new PermanentDeliveryError(`no resolver is registered for "${ref.kind}" attachments`);
      out.push(await resolver(ref, ctx));
    }
    return out;
  } catch (err) {
    for (const a of out) if (a.content instanceof Readable) a.content.destroy();
    throw err;
  }
}

/** A task's file or photo, by attachment id: its (display) name and its blob's bytes. */
export const taskAttachmentResolver: AttachmentResolver<{ kind: 'attachment'; attachmentId: string }> = async (ref, { db, deps, orgId }) => {
  const row = await db
    .selectFrom('attachments')
    .select(['file_name', 'display_name', 'media_type', 'blob_hash'])
    .where('org_id', '=', orgId)
    .where('id', '=', ref.attachmentId)
    .executeTakeFirst();
  if (!row) throw new PermanentDeliveryError(`attachment ${ref.attachmentId} no longer exists`);
  return { filename: row.display_name ?? row.file_name, contentType: row.media_type, content: await deps.blobs.open(row.blob_hash) };
};

/**
 * Delivers 'email' outbox rows. The Message-ID is the row's stable one: a re-delivery after a
 * crash (at least once) reaches the receiver with the same Message-ID.
 */
export function emailDeliverer(deps: Deps, transport: MailTransport = mailTransport(deps.config)): Deliverer {
  return {
    async deliver(row: OutboxRow) {
      const email = JSON.parse(row.payload) as EmailPayload;
      const sender = await senderOf(deps, row.org_id);
      const files = await resolveAttachments(email.attachments, { db: deps.db.kysely, deps, orgId: row.org_id });
      await transport.send({
        ...sender,
        to: email.to,
        subject: email.subject,
        text: email.text,
        messageId: row.message_id,
        date: new Date(row.created_at),
        headers: { 'Content-Language': email.language },
        attachments: files.map((f) => ({ filename: f.filename, contentType: f.contentType, content: f.content })),
      });
    },
    close: () => transport.close(),
  };
}

/**
 * From: the organization's sender name (else its name) at MAIL_FROM's address — the server's own
 * address, which its SMTP relay accepts; Reply-To: the organization's email, so answers reach it.
 * Read at delivery: a renamed organization's pending emails go out under the new name.
 */
async function senderOf(deps: Deps, orgId: string) {
  const org = await findOrganization(deps.db.kysely, orgId);
  const address = mailAddressOf(deps.config.mailFrom);
  if (!org || !address) return { from: deps.config.mailFrom };
  return {
    from: { name: org.email_sender_name ?? org.name, address },
    ...(org.email ? { replyTo: org.email } : {}),
  };
}
