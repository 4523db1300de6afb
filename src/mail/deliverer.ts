import type { Deps } from '../deps.ts';
import type { Deliverer, OutboxRow } from '../outbox/index.ts';
import type { EmailPayload } from './payload.ts';
import { resolveAttachments } from './resolve.ts';
import { mailTransport, type MailTransport } from './transport.ts';

/**
 * Delivers 'email' outbox rows. The Message-ID is the row's stable one: a re-delivery after a
 * crash (at least once) reaches the receiver with the same Message-ID.
 */
export function emailDeliverer(deps: Deps, transport: MailTransport = mailTransport(deps.config)): Deliverer {
  return {
    async deliver(row: OutboxRow) {
      const email = JSON.parse(row.payload) as EmailPayload;
      const files = await resolveAttachments(email.attachments, { db: deps.db.kysely, deps, orgId: row.org_id });
      await transport.send({
        from: deps.config.mailFrom,
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
