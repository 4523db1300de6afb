import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { multipart } from '../task-content/testkit.ts';
import type { Org, TestContext } from '../testing/harness.ts';

/** Helpers of the cross-organization isolation test (not a test file itself). */

/** One object of each kind an organization owns, by the collection segment that names it in a URL. */
export type Objects = Record<string, string>;

const label = (x: string) => ({ fr: x, en: x });
const templates = { fr: { subject: 'Terminé {task.number}', body: 'Bonjour' }, en: { subject: 'Done {task.number}', body: 'Hello' } };

async function ok(ctx: TestContext, token: string, method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, headers?: Record<string, string>) {
  const r = await ctx.call(method, url, token, body, headers);
  assert.ok(r.status >= 200 && r.status < 300, `setting up: ${method} ${url} → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/**
 * Gives an organization one of everything: client, custom task type, task with sub-task, line,
 * note and attachment, a technician, an API token, an automation, an email and an issued invoice.
 */
export async function populate(ctx: TestContext, org: Org): Promise<Objects> {
  const t = org.token;
  const types = (await ok(ctx, t, 'GET', '/api/v1/task-types')).items as { id: string; key: string }[];
  const workType = types.find((x) => x.key === 'work')!.id;
  const invoiceType = types.find((x) => x.key === 'invoice')!.id;
  const customType = await ok(ctx, t, 'POST', '/api/v1/task-types', {
    key: 'survey',
    label: label('Survey'),
    prefix: 'S',
    workflow: {
      initial: 'new',
      statuses: [
        { key: 'new', label: label('New'), category: 'open' },
        { key: 'done', label: label('Done'), category: 'done' },
      ],
      transitions: [{ from: 'new', to: 'done' }],
    },
  });
  const client = await ok(ctx, t, 'POST', '/api/v1/clients', { name: 'Client', billingEmails: ['billing@client.example'] });
  const tech = await ctx.addUser(org, 'technician');
  const token = await ok(ctx, t, 'POST', '/api/v1/tokens', { name: 'integration' });
  const rule = await ok(ctx, t, 'POST', '/api/v1/automations', {
    name: 'Email on completion',
    enabled: true,
    trigger: { type: 'status_entered', status: 'completed', taskTypeIds: [workType] },
    actions: [{ type: 'send_email', to: { clientBilling: true }, templates }],
  });
  const task = await ok(ctx, t, 'POST', '/api/v1/tasks', { typeId: workType, title: 'Main', clientId: client.id, assigneeIds: [tech.userId] });
  await ok(ctx, t, 'POST', '/api/v1/tasks', { typeId: workType, title: 'Sub', parentId: task.id });
  const line = await ok(ctx, t, 'POST', `/api/v1/tasks/${task.id}/lines`, { description: 'Labour', quantity: '2', unitPriceCents: 8500 });
  await ok(ctx, t, 'POST', `/api/v1/tasks/${task.id}/notes`, { body: 'Gate code 1234' });
  const file = multipart('site.txt', Buffer.from('site notes'), 'text/plain');
  const attachment = await ok(ctx, t, 'POST', `/api/v1/tasks/${task.id}/attachments`, file.payload, file.headers);
  const done = await ok(ctx, t, 'POST', '/api/v1/tasks', { typeId: workType, title: 'Done', clientId: client.id });
  await ok(ctx, t, 'POST', `/api/v1/tasks/${done.id}/transitions`, { to: 'completed' });
  const email = (await ok(ctx, t, 'GET', `/api/v1/emails?taskId=${done.id}`)).items[0];
  assert.ok(email, 'setting up: the automation queued an email');
  const billed = await ok(ctx, t, 'POST', '/api/v1/tasks', { typeId: invoiceType, title: 'Invoice', clientId: client.id });
  await ok(ctx, t, 'POST', `/api/v1/tasks/${billed.id}/lines`, { description: 'Paving', quantity: '1', unitPriceCents: 100_000 });
  await ok(ctx, t, 'POST', `/api/v1/tasks/${billed.id}/transitions`, { to: 'closed' });
  const invoice = (await ok(ctx, t, 'GET', `/api/v1/invoices?taskId=${billed.id}`)).items[0];
  assert.ok(invoice, 'setting up: closing the billing task issued an invoice');
  return {
    'task-types': customType.id,
    clients: client.id,
    users: tech.userId,
    tokens: token.id,
    automations: rule.id,
    tasks: task.id,
    lines: line.id,
    attachments: attachment.id,
    emails: email.id,
    invoices: invoice.id,
  };
}

/** Query parameters that name an object, filled with one of the organization's objects. */
export const QUERY_OBJECTS: Record<string, string> = {
  taskId: 'tasks',
  parentId: 'tasks',
  clientId: 'clients',
  typeId: 'task-types',
  assigneeId: 'users',
  ruleId: 'automations',
};

/**
 * Bodies that would change the object if the route reached it. Every route taking a JSON body
 * needs one here: a missing sample fails the test, naming the route.
 */
export function sampleBody(op: string, a: Objects): unknown {
  const samples: Record<string, unknown> = {
    'POST /api/v1/auth/logout': undefined,
    'POST /api/v1/tokens': { name: 'probe' },
    'POST /api/v1/users': {
      name: 'Probe',
      email: `probe-${Math.random().toString(36).slice(2, 8)}@example.com`,
      password: 'probe password',
      role: 'technician',
    },
    'PATCH /api/v1/users/{id}': { name: 'Hijacked', role: 'admin' },
    'POST /api/v1/clients': { name: 'Probe' },
    'PATCH /api/v1/clients/{id}': { name: 'Hijacked' },
    'POST /api/v1/task-types': {
      key: `probe${Math.random().toString(36).slice(2, 6)}`,
      label: label('P'),
      prefix: 'P',
      workflow: { initial: 'a', statuses: [{ key: 'a', label: label('a'), category: 'open' }], transitions: [] },
    },
    'PATCH /api/v1/task-types/{id}': { label: label('Hijacked') },
    'POST /api/v1/tasks': { typeId: a['task-types'], title: 'Probe', clientId: a.clients, parentId: a.tasks, assigneeIds: [a.users] },
    'POST /api/v1/tasks/bulk': [
      {
        typeId: a['task-types'],
        title: 'Probe',
        clientId: a.clients,
        parentId: a.tasks,
        assigneeIds: [a.users],
        lines: [{ description: 'Probe', quantity: '1', unitPriceCents: 1 }],
      },
    ],
    'PATCH /api/v1/tasks/{id}': { title: 'Hijacked' },
    'POST /api/v1/tasks/{id}/transitions': { to: 'in_progress' },
    'POST /api/v1/automations': {
      name: 'Probe',
      trigger: { type: 'status_entered', status: 'done', taskTypeIds: [a['task-types']] },
      actions: [{ type: 'send_email', to: { clientBilling: true }, templates }],
    },
    'PATCH /api/v1/automations/{id}': { name: 'Hijacked' },
    'POST /api/v1/automations/{id}/run': { early: true },
    'POST /api/v1/tasks/{id}/lines': { description: 'Hijacked', quantity: '1', unitPriceCents: 1 },
    'POST /api/v1/tasks/{id}/lines/bulk': [{ description: 'Hijacked', quantity: '1', unitPriceCents: 1, unit: 'h', productCode: 'P' }],
    'PATCH /api/v1/tasks/{id}/lines/{lineId}': { description: 'Hijacked' },
    'POST /api/v1/tasks/{id}/notes': { body: 'Hijacked' },
    'PATCH /api/v1/organization': { name: 'Probe' },
    'POST /api/v1/invoices/{id}/payment': { status: 'paid' },
  };
  if (!(op in samples)) throw new Error(`the isolation test has no sample body for ${op}: add one to isolation-world.ts`);
  return samples[op];
}

/** Every row an organization owns, in every table with an org_id column, in a stable order. */
export async function ownedRows(ctx: TestContext, orgId: string): Promise<Record<string, string[]>> {
  const db = ctx.deps.db.kysely;
  const tables =
    ctx.store === 'sqlite'
      ? (
          await sql<{
            t: string;
          }>`select m.name as t from sqlite_master m join pragma_table_info(m.name) p where m.type = 'table' and p.name = 'org_id'`.execute(db)
        ).rows
      : (
          await sql<{
            t: string;
          }>`select table_name as t from information_schema.columns where table_schema = current_schema() and column_name = 'org_id'`.execute(db)
        ).rows;
  const out: Record<string, string[]> = {};
  for (const { t } of tables.sort((x, y) => x.t.localeCompare(y.t))) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(t)} where org_id = ${orgId}`.execute(db);
    out[t] = rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v))).sort();
  }
  return out;
}
