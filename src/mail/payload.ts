import type { AttachmentRef } from './attachments.ts';

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
