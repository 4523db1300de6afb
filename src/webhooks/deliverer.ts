import type { Deps } from '../deps.ts';
import { isSealed } from '../secrets/index.ts';
import { PermanentDeliveryError, type Deliverer, type OutboxRow } from '../outbox/index.ts';
import type { WebhookRowPayload } from './payload.ts';
import { DEFAULT_WEBHOOK_TIMEOUT_MS, postJson } from './post.ts';
import { SIGNATURE_HEADER, signWebhook } from './sign.ts';

/** The URL and secret of a rule's webhook step, as stored now (null: the rule or the step is gone). */
async function endpointOf(deps: Deps, orgId: string, ruleId: string, actionId: string): Promise<{ url: string; secret: string } | null> {
  const rule = await deps.db.kysely.selectFrom('automation_rules').select('actions').where('org_id', '=', orgId).where('id', '=', ruleId).executeTakeFirst();
  const step = rule && (JSON.parse(rule.actions) as { id: string; type: string; url?: string; secret?: string }[]).find((a) => a.id === actionId);
  if (step?.type !== 'webhook' || !step.url || !step.secret) return null;
  // Sealed at rest (start-up seals any secret left in clear; a clear one is read as it is until then).
  return { url: step.url, secret: isSealed(step.secret) ? deps.secrets.open(step.secret) : step.secret };
}

/**
 * Delivers 'webhook' outbox rows after commit: POSTs the stored body, signed at this attempt
 * (a fresh `t`, so receivers can refuse stale replays), to the step's current URL — a rule
 * fixed after a failure fixes its pending retries. 2xx is delivered; any other answer, a
 * timeout or a network error is retried with the outbox's backoff.
 */
export function webhookDeliverer(deps: Deps, o: { timeoutMs?: number } = {}): Deliverer {
  return {
    async deliver(row: OutboxRow) {
      const p = JSON.parse(row.payload) as WebhookRowPayload;
      const endpoint = await endpointOf(deps, row.org_id, p.ruleId, p.actionId);
      if (!endpoint) throw new PermanentDeliveryError('the webhook step no longer exists (its rule was deleted or changed)');
      const t = Math.floor(deps.clock.now().getTime() / 1000);
      const status = await postJson(
        endpoint.url,
        p.body,
        {
          [SIGNATURE_HEADER]: signWebhook(endpoint.secret, p.body, t),
          'Chantier-Event-Id': p.eventId,
          'Chantier-Event-Type': p.type,
          'User-Agent': 'Chantier-Webhook/1',
        },
        { allowPrivate: deps.config.webhookAllowPrivate, timeoutMs: o.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS },
      );
      if (status < 200 || status > 299) throw new Error(`the endpoint answered HTTP ${status}`);
    },
  };
}
