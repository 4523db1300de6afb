import { z } from 'zod';
import { enqueue } from '../../outbox/index.ts';
import { conflict } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { checkWebhookUrl, invoiceOf, newWebhookSecret, secretHint, taskDtoIn, type WebhookEvent, type WebhookRowPayload } from '../../webhooks/index.ts';
import { isSealed } from '../../secrets/index.ts';
import { defineAction } from './registry.ts';

type Params = { url: string; secret?: string; secretHint?: string };

/**
 * Queues a signed JSON POST about the task; the outbox worker delivers it after commit, with
 * retries. The secret is stored with the rule and shown only when the server generated it.
 */
export const webhookAction = defineAction<Params>({
  type: 'webhook',
  summary: 'POST a signed JSON event (task, transition, invoice) to a URL after the transition commits',
  params: z.strictObject({
    url: z.string().max(2000).describe('http:// or https://; private and loopback addresses need CHANTIER_WEBHOOK_ALLOW_PRIVATE=true'),
    secret: z
      .string()
      .min(24)
      .max(200)
      .refine((s) => !isSealed(s), 'a secret may not look like an encrypted one (enc:v1:…)')
      .optional()
      .describe('HMAC-SHA256 signing key; leave out to keep the stored one, or to have one generated (shown once, in the response)'),
    secretHint: z.string().max(100).optional().describe('Ignored: as GET shows it, so a rule read back can be saved again'),
  }),
  async validate({ deps }, p) {
    checkWebhookUrl(p.url, deps.config.webhookAllowPrivate);
  },
  // Stored sealed (AES-256-GCM, src/secrets/) with its hint beside it: the API shows the hint
  // without opening the secret. A sealed secret (the stored step, a duplicated rule's) is kept as
  // it is; the API cannot send one (refused above).
  prepare({ secretHint: givenHint, ...p }, previous, { secrets }) {
    const stored = (secret: string, hint: string | undefined) =>
      isSealed(secret) ? { secret, secretHint: hint ?? '…' } : { secret: secrets.seal(secret), secretHint: secretHint(secret) };
    if (p.secret) return { params: { ...p, ...stored(p.secret, givenHint) } };
    if (previous?.secret) return { params: { ...p, ...stored(previous.secret, previous.secretHint) } };
    const secret = newWebhookSecret();
    return { params: { ...p, ...stored(secret, undefined) }, reveal: secret };
  },
  redact({ secret, secretHint: hint, ...p }) {
    if (!secret) return p;
    return { ...p, secretHint: hint ?? (isSealed(secret) ? '…' : secretHint(secret)) };
  },
  async run({ trx, deps, event, rule, stepId, schedule }, p) {
    const orgId = event.task.org_id;
    const task = await taskDtoIn(trx, orgId, event.task.id);
    if (!task || !stepId) throw conflict('webhook_task_missing', 'the task of the webhook is gone', { taskId: event.task.id });
    const at = deps.clock.now();
    const body: WebhookEvent = {
      id: newId(at.getTime()),
      type: schedule ? 'task.scheduled' : 'task.status_entered',
      createdAt: at.toISOString(),
      orgId,
      ruleId: rule.id,
      actionId: stepId,
      task,
      transition: schedule ? null : { from: event.from, to: event.to },
      occurrenceAt: schedule?.occurrenceAt ?? null,
      invoice: await invoiceOf(trx, deps, orgId, task.id),
    };
    const payload: WebhookRowPayload = { eventId: body.id, type: body.type, ruleId: rule.id, actionId: stepId, body: JSON.stringify(body) };
    const queued = await enqueue(trx, { orgId, kind: 'webhook', taskId: task.id, payload, messageDomain: 'webhooks.chantier', at });
    return { outcome: 'done', taskAsIs: true, detail: { outboxId: queued.id, eventId: body.id, host: new URL(p.url).host } };
  },
});
