import { z } from 'zod';
import { Id, PageQuery, Timestamp } from '../http/schemas.ts';

export const EMAIL_STATES = ['pending', 'sending', 'sent', 'failed'] as const;

const AttachmentRefSchema = z.union([
  z.object({ kind: z.literal('attachment'), attachmentId: z.string() }),
  z.object({ kind: z.literal('invoice_pdf'), invoiceId: z.string() }),
]);

export const EmailSchema = z.object({
  id: Id,
  taskId: Id.nullable(),
  ruleId: Id.nullable(),
  to: z.array(z.string()),
  subject: z.string(),
  language: z.enum(['fr', 'en']),
  state: z.enum(EMAIL_STATES),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  lastError: z.string().nullable(),
  messageId: z.string().describe('The Message-ID header, the same on every attempt'),
  attachments: z.array(AttachmentRefSchema).describe('What is attached (read at delivery), never the bytes'),
  notAttached: z.array(z.object({ name: z.string(), size: z.number().int() })).describe('Files left out by the size cap'),
  nextAttemptAt: Timestamp.nullable().describe('When a pending email is tried next'),
  createdAt: Timestamp,
  sentAt: Timestamp.nullable(),
});
export type EmailDto = z.infer<typeof EmailSchema>;

export const EmailDetailSchema = EmailSchema.extend({ text: z.string() });

export const ListEmailsQuery = z.strictObject({
  state: z.enum(EMAIL_STATES).optional(),
  taskId: Id.optional(),
  ...PageQuery,
});
