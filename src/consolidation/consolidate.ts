import { sql } from 'kysely';
import { staticQuery, type Executor } from '../db/index.ts';
import type { ConsolidationsTable } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { invalid } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { findTaskType } from '../task-types/index.ts';
import type { TaskRow } from '../tasks/index.ts';
import { completeTargetIfDone } from './complete-target.ts';
import { copyContent } from './copy-content.ts';
import { insertConsolidation } from './copy-statements.ts';
import { DEFAULT_ATTACHMENT_PATTERN } from './naming.ts';
import { originOf } from './provenance.ts';
import { lockSource, type SourceContent } from './source.ts';
import { lockOpenInvoice, openParent } from './targets.ts';

export interface ConsolidateOptions {
  target: 'parent' | 'client_open_invoice';
  invoiceTypeId?: string;
  attachmentNamePattern?: string;
  completeTargetWhenDone?: boolean;
}

export interface ConsolidateResult {
  outcome: 'done' | 'skipped';
  detail: Record<string, unknown>;
  /** The source task's row was not written (see ActionOutcome.taskAsIs): no re-parenting, and no target completed (its rules may reach anything). */
  taskAsIs?: boolean;
}

/** The source task's live consolidation (active or pending), if any. */
export const liveConsolidation = async (trx: Executor, orgId: string, sourceTaskId: string) => (await liveRow(trx, orgId, sourceTaskId)).rows[0];

// On every reopen. The state is a literal so that the partial unique index serves it (see source.ts).
const liveRow = staticQuery((db, orgId: string, sourceTaskId: string) =>
  db.selectFrom('consolidations').selectAll().where('org_id', '=', orgId).where('source_task_id', '=', sourceTaskId).where('state', '!=', sql.lit('retracted')),
);

/**
 * Consolidates a completed task's content into its target: its main task, or its client's
 * oldest open invoice task; with no open target the content waits as pending for the client.
 * At most once per source (a live consolidation is a unique row). MUST run inside the
 * triggering transition's transaction.
 */
export async function consolidateTask(
  trx: Executor,
  deps: Deps,
  task: { org_id: string; id: string },
  opts: ConsolidateOptions,
  ctx: { ruleId: string | null; depth: number },
): Promise<ConsolidateResult> {
  // Read again, not taken from the event: an earlier step of this transition may have changed
  // the task (a reopen gives its parent back, an earlier action moved it). Tasks are never deleted.
  // Into its main task: the main task is read and locked in the same statement.
  const parentLock = opts.target === 'parent' ? (opts.completeTargetWhenDone ? 'update' : 'share') : undefined;
  const found = (await lockSource(trx, deps, task.org_id, task.id, parentLock))!;
  const { task: source, live, content, assignees, parent } = found;
  if (live) return skip('already_consolidated', { consolidationId: live.id, targetTaskId: live.targetTaskId });

  const sourceType = (await findTaskType(trx, source.org_id, source.type_id))!;
  let target: TaskRow | undefined;
  if (opts.target === 'parent') {
    if (!source.parent_id) return skip('no_parent');
    target = await openParent(trx, parent);
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
    await insertConsolidation(trx, row);
    return { outcome: 'done', taskAsIs: true, detail: { consolidationId: row.id, pending: true, clientId: source.client_id } };
  }
  // The row goes in with the copies (attachToTarget: on PostgreSQL, in the same statement).
  const copied = await attachToTarget(trx, deps, {
    source,
    content,
    assignees,
    sourcePrefix: sourceType.prefix,
    target,
    consolidation: row,
    insertConsolidation: true,
    namePattern: opts.attachmentNamePattern,
  });
  const { reparented, ...counts } = copied;
  const detail: Record<string, unknown> = { consolidationId: row.id, targetTaskId: target.id, ...counts };
  if (opts.completeTargetWhenDone) {
    detail.targetCompleted = await completeTargetIfDone(trx, deps, source.org_id, target.id, ctx.depth);
  }
  return { outcome: 'done', detail, taskAsIs: !reparented && !detail.targetCompleted };
}

/** Copies the content and, for an invoice target, makes the source its sub-task (`reparented`). */
export async function attachToTarget(
  trx: Executor,
  deps: Deps,
  input: {
    source: TaskRow;
    content: SourceContent;
    assignees: string;
    sourcePrefix: string;
    target: TaskRow;
    consolidation: ConsolidationsTable;
    /** The consolidation's row is new, to insert with the copies (not yet in the table). */
    insertConsolidation?: boolean;
    namePattern?: string;
  },
) {
  const { source, target, consolidation } = input;
  const origin = originOf(source, input.sourcePrefix, input.assignees);
  const counts = await copyContent(trx, deps, {
    source,
    content: input.content,
    target,
    origin,
    consolidation,
    insertConsolidation: input.insertConsolidation ?? false,
    namePattern: input.namePattern ?? DEFAULT_ATTACHMENT_PATTERN,
  });
  const reparented = source.parent_id === null && target.id !== source.id;
  if (reparented) {
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
  return { ...counts, reparented };
}

const skip = (reason: string, extra: Record<string, unknown> = {}): ConsolidateResult => ({ outcome: 'skipped', detail: { reason, ...extra } });
