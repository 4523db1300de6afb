import type { Executor } from '../db/index.ts';
import type { ConsolidationsTable } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { invalid } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { findTaskType } from '../task-types/index.ts';
import type { TaskRow } from '../tasks/index.ts';
import { completeTargetIfDone } from './complete-target.ts';
import { copyContent } from './copy-content.ts';
import { DEFAULT_ATTACHMENT_PATTERN } from './naming.ts';
import { originOf } from './provenance.ts';
import { lockOpenInvoice, lockOpenParent } from './targets.ts';

export interface ConsolidateOptions {
  target: 'parent' | 'client_open_invoice';
  invoiceTypeId?: string;
  attachmentNamePattern?: string;
  completeTargetWhenDone?: boolean;
}

export interface ConsolidateResult {
  outcome: 'done' | 'skipped';
  detail: Record<string, unknown>;
}

/** The source task's live consolidation (active or pending), if any. */
export const liveConsolidation = (trx: Executor, orgId: string, sourceTaskId: string) =>
  trx
    .selectFrom('consolidations')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('source_task_id', '=', sourceTaskId)
    .where('state', '!=', 'retracted')
    .executeTakeFirst();

/**
 * Consolidates a completed task's content into its target: its main task, or its client's
 * oldest open invoice task; with no open target the content waits as pending for the client.
 * At most once per source (a live consolidation is a unique row). MUST run inside the
 * triggering transition's transaction.
 */
export async function consolidateTask(
  trx: Executor,
  deps: Deps,
  source: TaskRow,
  opts: ConsolidateOptions,
  ctx: { ruleId: string | null; depth: number },
): Promise<ConsolidateResult> {
  const existing = await liveConsolidation(trx, source.org_id, source.id);
  if (existing) return skip('already_consolidated', { consolidationId: existing.id, targetTaskId: existing.target_task_id });

  const sourceType = (await findTaskType(trx, source.org_id, source.type_id))!;
  let target: TaskRow | undefined;
  if (opts.target === 'parent') {
    if (!source.parent_id) return skip('no_parent');
    target = await lockOpenParent(trx, deps, source, opts.completeTargetWhenDone ? 'update' : 'share');
  } else {
    if (!source.client_id) return skip('no_client');
    if (sourceType.billing) return skip('source_is_billing_task');
    const invoiceType = opts.invoiceTypeId ? await findTaskType(trx, source.org_id, opts.invoiceTypeId) : undefined;
    if (!invoiceType) throw invalid('task_type_not_found', 'the rule names an invoice task type that does not exist', { invoiceTypeId: opts.invoiceTypeId });
    target = await lockOpenInvoice(trx, deps, { orgId: source.org_id, clientId: source.client_id, invoiceType, exceptTaskId: source.id });
  }

  const now = deps.clock.now().toISOString();
  const row: ConsolidationsTable = {
    id: newId(),
    org_id: source.org_id,
    source_task_id: source.id,
    target_task_id: target?.id ?? null,
    client_id: source.client_id,
    rule_id: ctx.ruleId,
    state: target ? 'active' : 'pending',
    reparented: 0,
    previous_parent_id: source.parent_id,
    options: JSON.stringify({ invoiceTypeId: opts.invoiceTypeId ?? null, attachmentNamePattern: opts.attachmentNamePattern ?? null }),
    created_at: now,
    retracted_at: null,
  };
  if (!target) {
    if (!source.client_id) return skip('target_closed', { targetTaskId: source.parent_id });
    await trx.insertInto('consolidations').values(row).execute();
    return { outcome: 'done', detail: { consolidationId: row.id, pending: true, clientId: source.client_id } };
  }
  await trx.insertInto('consolidations').values(row).execute();
  const counts = await attachToTarget(trx, deps, {
    source,
    sourcePrefix: sourceType.prefix,
    target,
    consolidation: row,
    namePattern: opts.attachmentNamePattern,
  });
  const detail: Record<string, unknown> = { consolidationId: row.id, targetTaskId: target.id, ...counts };
  if (opts.completeTargetWhenDone) {
    detail.targetCompleted = await completeTargetIfDone(trx, deps, source.org_id, target.id, ctx.depth);
  }
  return { outcome: 'done', detail };
}

/** Copies the content and, for an invoice target, makes the source its sub-task. */
export async function attachToTarget(
  trx: Executor,
  deps: Deps,
  input: { source: TaskRow; sourcePrefix: string; target: TaskRow; consolidation: ConsolidationsTable; namePattern?: string },
) {
  const { source, target, consolidation } = input;
  const origin = await originOf(trx, source, input.sourcePrefix);
  const counts = await copyContent(trx, deps, {
    source,
    target,
    origin,
    consolidationId: consolidation.id,
    namePattern: input.namePattern ?? DEFAULT_ATTACHMENT_PATTERN,
  });
  if (source.parent_id === null && target.id !== source.id) {
    // Marked first: the database lets a consolidated task's parent change only to or from the
    // target of its reparented consolidation (migration 0009).
    await trx.updateTable('consolidations').set({ reparented: 1 }).where('id', '=', consolidation.id).execute();
    await trx
      .updateTable('tasks')
      .set((eb) => ({ parent_id: target.id, version: eb('version', '+', 1), updated_at: deps.clock.now().toISOString() }))
      .where('org_id', '=', source.org_id)
      .where('id', '=', source.id)
      .execute();
  }
  return counts;
}

const skip = (reason: string, extra: Record<string, unknown> = {}): ConsolidateResult => ({ outcome: 'skipped', detail: { reason, ...extra } });
