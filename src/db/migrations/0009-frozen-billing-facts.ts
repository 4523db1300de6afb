import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Who a task bills and where it sits are frozen once its content is billed, in the database:
 * - the client and type of a task whose content is consolidated (a live consolidation from it),
 *   that holds consolidated content (an active consolidation into it) or that was invoiced
 *   (an invoice or credit note names it) never change;
 * - the parent of a consolidated or invoiced task never changes, except the consolidation's own
 *   moves: adopting the source under its invoice task (active and reparented: the new parent is
 *   the target) and, when a credit note releases it, giving it back (pending, still reparented
 *   and naming the target it leaves) — see attachToTarget and releaseToPending; a reopen
 *   retracts the consolidation before it gives the parent back.
 * The service answers 409 before reaching these; the triggers hold it for every other path.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await dropCreditOnlyTransitions(db);
  if (db.getExecutor().adapter instanceof PostgresAdapter) return postgres(db);
  return sqlite(db);
}

/**
 * The seeded Invoice workflow offered closed → cancelled and sent → cancelled, which only a credit
 * note may do now (the transition is refused whatever the workflow says): existing organizations'
 * Invoice types stop offering them, as new ones do.
 */
async function dropCreditOnlyTransitions(db: Kysely<any>): Promise<void> {
  const rows = await db.selectFrom('task_types').select(['id', 'workflow']).where('key', '=', 'invoice').where('billing', '=', 1).execute();
  for (const r of rows) {
    const workflow = JSON.parse(r.workflow as string) as { transitions: { from: string; to: string }[] };
    const kept = workflow.transitions.filter((t) => !(t.to === 'cancelled' && (t.from === 'closed' || t.from === 'sent')));
    if (kept.length === workflow.transitions.length) continue;
    await db
      .updateTable('task_types')
      .set((eb) => ({ workflow: JSON.stringify({ ...workflow, transitions: kept }), version: eb('version', '+', 1) }))
      .where('id', '=', r.id)
      .execute();
  }
}

async function postgres(db: Kysely<any>): Promise<void> {
  await sql`create function task_billing_facts_frozen() returns trigger language plpgsql as $$
    begin
      if (new.client_id is distinct from old.client_id or new.type_id is distinct from old.type_id) and (
           exists (select 1 from consolidations c where c.source_task_id = old.id and c.state <> 'retracted')
        or exists (select 1 from consolidations c where c.org_id = old.org_id and c.target_task_id = old.id and c.state = 'active')
        or exists (select 1 from invoices i where i.org_id = old.org_id and i.task_id = old.id)) then
        raise exception 'task billing facts are frozen (client or type of %)', old.id using errcode = 'P0001';
      end if;
      if new.parent_id is distinct from old.parent_id and (
           exists (select 1 from consolidations c where c.source_task_id = old.id and c.state <> 'retracted'
                   and not (c.reparented = 1 and (
                         (c.state = 'active' and c.target_task_id is not distinct from new.parent_id)
                      or (c.state = 'pending' and c.target_task_id is not distinct from old.parent_id))))
        or exists (select 1 from invoices i where i.org_id = old.org_id and i.task_id = old.id)) then
        raise exception 'task billing facts are frozen (parent of %)', old.id using errcode = 'P0001';
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger tasks_billing_facts_frozen before update of client_id, type_id, parent_id on tasks
    for each row execute function task_billing_facts_frozen()`.execute(db);
}

async function sqlite(db: Kysely<any>): Promise<void> {
  const consolidatedOrInvoiced = `
       exists (select 1 from consolidations c where c.source_task_id = old.id and c.state != 'retracted')
    or exists (select 1 from consolidations c where c.org_id = old.org_id and c.target_task_id = old.id and c.state = 'active')
    or exists (select 1 from invoices i where i.org_id = old.org_id and i.task_id = old.id)`;
  await sql`create trigger tasks_client_type_frozen before update of client_id, type_id on tasks
    when (new.client_id is not old.client_id or new.type_id is not old.type_id) and (${sql.raw(consolidatedOrInvoiced)})
    begin select raise(abort, 'task billing facts are frozen (client or type)'); end`.execute(db);
  await sql`create trigger tasks_parent_frozen before update of parent_id on tasks
    when new.parent_id is not old.parent_id and (
         exists (select 1 from consolidations c where c.source_task_id = old.id and c.state != 'retracted'
                 and not (c.reparented = 1 and (
                       (c.state = 'active' and c.target_task_id is new.parent_id)
                    or (c.state = 'pending' and c.target_task_id is old.parent_id))))
      or exists (select 1 from invoices i where i.org_id = old.org_id and i.task_id = old.id))
    begin select raise(abort, 'task billing facts are frozen (parent)'); end`.execute(db);
}
