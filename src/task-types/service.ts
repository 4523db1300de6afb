import type { z } from 'zod';
import { requireRole, type Principal } from '../accounts/principal.ts';
import { enabledRulesNamingTaskType } from '../automation/rules-naming.ts';
import type { Executor } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { conflict, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { defaultTaskTypes } from './defaults.ts';
import type { CreateTaskTypeBody, UpdateTaskTypeBody } from './schemas.ts';
import { findTaskType, forgetTaskType, listTaskTypes, taskTypeRow, type TaskType } from './store.ts';
import { checkWorkflow, type Workflow } from './workflow.ts';
import { runTransaction } from '../db/transaction.ts';
import { checkVersion, updateVersioned } from '../db/versioned.ts';

/** MUST run inside the organization's creation transaction. */
export async function seedDefaultTaskTypes(trx: Executor, orgId: string, locale: string, now: string): Promise<void> {
  const rows = defaultTaskTypes(locale).map((seed) => taskTypeRow({ ...seed, id: newId(), orgId, createdAt: now, updatedAt: now, version: 1 }));
  await trx.insertInto('task_types').values(rows).execute();
}

export async function getTaskType(deps: Deps, p: Principal, id: string): Promise<TaskType> {
  const t = await findTaskType(deps.db.kysely, p.orgId, id);
  if (!t) throw notFound('task_type', id);
  return t;
}

export const listTypes = (deps: Deps, p: Principal) => listTaskTypes(deps.db.kysely, p.orgId);

export async function createTaskType(deps: Deps, p: Principal, input: z.output<typeof CreateTaskTypeBody>): Promise<TaskType> {
  requireRole(p, 'admin');
  checkWorkflow(input.workflow);
  const now = deps.clock.now().toISOString();
  const type: TaskType = { ...input, id: newId(), orgId: p.orgId, createdAt: now, updatedAt: now, version: 1 };
  await runTransaction(deps, async (trx) => {
    const clash = await trx.selectFrom('task_types').select('id').where('org_id', '=', p.orgId).where('key', '=', input.key).executeTakeFirst();
    if (clash) throw conflict('task_type_key_taken', `a task type with key "${input.key}" already exists`, { field: 'key' });
    await trx.insertInto('task_types').values(taskTypeRow(type)).execute();
  });
  return type;
}

export async function updateTaskType(deps: Deps, p: Principal, id: string, input: z.output<typeof UpdateTaskTypeBody>): Promise<TaskType> {
  requireRole(p, 'admin');
  if (input.workflow) checkWorkflow(input.workflow);
  return runTransaction(deps, async (trx) => {
    // Waits for transactions that are putting tasks into a status of this workflow (they hold it shared).
    const current = await findTaskType(trx, p.orgId, id, { mode: 'update', dialect: deps.db.dialect });
    if (!current) throw notFound('task_type', id);
    checkVersion('task_types', current.version, input.version);
    if (input.workflow)
      await checkRemovedStatusesUnused(
        trx,
        p.orgId,
        current,
        input.workflow.statuses.map((s) => s.key),
      );
    if (input.workflow) await checkHeldCategoriesKept(trx, p.orgId, current, input.workflow);
    if (input.billing !== undefined && input.billing !== current.billing) await checkBillingFlagFree(trx, p.orgId, current);
    const next: TaskType = {
      ...current,
      label: input.label ?? current.label,
      prefix: input.prefix ?? current.prefix,
      billing: input.billing ?? current.billing,
      workflow: input.workflow ?? current.workflow,
      updatedAt: deps.clock.now().toISOString(),
      version: current.version + 1,
    };
    const { id: _id, org_id: _org, created_at: _c, ...changes } = taskTypeRow(next);
    await updateVersioned(trx, 'task_types', { orgId: p.orgId, id, version: current.version }, changes);
    forgetTaskType(trx, p.orgId, id);
    return next;
  });
}

/** A status still held by a task cannot be removed from the workflow. */
async function checkRemovedStatusesUnused(trx: Executor, orgId: string, current: TaskType, keep: string[]): Promise<void> {
  const removed = current.workflow.statuses.map((s) => s.key).filter((k) => !keep.includes(k));
  if (removed.length === 0) return;
  const inUse = await heldStatuses(trx, orgId, current.id, removed);
  if (inUse.length > 0) {
    throw conflict('status_in_use', `status ${inUse.map((r) => `"${r.key}"`).join(', ')} is held by tasks and cannot be removed`, {
      statuses: inUse,
    });
  }
}

/**
 * A status held by tasks keeps its category: moving "completed" from done to active would leave
 * consolidated work open to edits, and an issued invoice's task no longer closed.
 */
async function checkHeldCategoriesKept(trx: Executor, orgId: string, current: TaskType, next: Workflow): Promise<void> {
  const changed = current.workflow.statuses
    .filter((s) => {
      const after = next.statuses.find((n) => n.key === s.key);
      return after !== undefined && after.category !== s.category;
    })
    .map((s) => s.key);
  if (changed.length === 0) return;
  const inUse = await heldStatuses(trx, orgId, current.id, changed);
  if (inUse.length > 0) {
    throw conflict('status_category_in_use', `status ${inUse.map((r) => `"${r.key}"`).join(', ')} is held by tasks: its category cannot change`, {
      statuses: inUse,
    });
  }
}

/** The billing flag decides whether closing issues an invoice: it cannot change under existing tasks. */
async function checkBillingFlagFree(trx: Executor, orgId: string, current: TaskType): Promise<void> {
  const used = await trx.selectFrom('tasks').select('id').where('org_id', '=', orgId).where('type_id', '=', current.id).limit(1).executeTakeFirst();
  if (used) {
    throw conflict('task_type_billing_in_use', 'tasks of this type exist: whether it issues invoices cannot change', { field: 'billing' });
  }
}

async function heldStatuses(trx: Executor, orgId: string, typeId: string, keys: string[]) {
  const rows = await trx
    .selectFrom('tasks')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('org_id', '=', orgId)
    .where('type_id', '=', typeId)
    .where('status', 'in', keys)
    .groupBy('status')
    .execute();
  return rows.map((r) => ({ key: r.status, tasks: Number(r.n) }));
}

export async function deleteTaskType(deps: Deps, p: Principal, id: string): Promise<void> {
  requireRole(p, 'admin');
  await runTransaction(deps, async (trx) => {
    // The lock makes a rule being enabled or saved with this type (which reads it FOR SHARE) wait.
    const current = await findTaskType(trx, p.orgId, id, { mode: 'update', dialect: deps.db.dialect });
    if (!current) throw notFound('task_type', id);
    const used = await trx.selectFrom('tasks').select('id').where('org_id', '=', p.orgId).where('type_id', '=', id).limit(1).executeTakeFirst();
    if (used) throw conflict('task_type_in_use', 'tasks of this type exist; it cannot be deleted');
    const rules = await enabledRulesNamingTaskType(trx, p.orgId, id);
    if (rules.length) {
      const names = rules.map((r) => `"${r.name}"`).join(', ');
      throw conflict('task_type_used_by_rules', `enabled automation rules name this task type: ${names}; change or disable them first`, { rules });
    }
    await trx.deleteFrom('task_types').where('org_id', '=', p.orgId).where('id', '=', id).execute();
    forgetTaskType(trx, p.orgId, id);
  });
}
