import { mailAddressOf } from '../config.ts';
import type { Deps } from '../deps.ts';
import { findOrganization } from '../organization/service.ts';
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
