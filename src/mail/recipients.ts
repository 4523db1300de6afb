import type { Executor } from '../db/index.ts';
import type { ClientsTable } from '../db/schema.ts';

export interface RecipientChoice {
  clientBilling?: boolean;
  assignees?: boolean;
  addresses?: string[];
}

/** The addresses an email goes to, in order, each once (compared without case). */
export async function resolveRecipients(
  trx: Executor,
  task: { org_id: string; id: string },
  client: Pick<ClientsTable, 'billing_emails'> | undefined,
  to: RecipientChoice,
): Promise<string[]> {
  const all: string[] = [];
  if (to.clientBilling && client) all.push(...(JSON.parse(client.billing_emails) as string[]));
  if (to.assignees) {
    const rows = await trx
      .selectFrom('task_assignees')
      .innerJoin('users', 'users.id', 'task_assignees.user_id')
      .select('users.email')
      .where('task_assignees.org_id', '=', task.org_id)
      .where('task_assignees.task_id', '=', task.id)
      .where('users.org_id', '=', task.org_id)
      .where('users.active', '=', 1)
      .orderBy('users.email')
      .execute();
    all.push(...rows.map((r) => r.email));
  }
  all.push(...(to.addresses ?? []));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of all) {
    const address = raw.trim();
    if (!address || seen.has(address.toLowerCase())) continue;
    seen.add(address.toLowerCase());
    out.push(address);
  }
  return out;
}
