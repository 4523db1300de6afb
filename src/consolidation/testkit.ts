import assert from 'node:assert/strict';
import { ruleIds, typeIds } from '../testing/defaults.ts';
import type { Org, TestContext } from '../testing/harness.ts';

/** Helpers shared by the consolidation tests (not a test file itself). */
export interface World {
  ctx: TestContext;
  org: Org;
  workTypeId: string;
  invoiceTypeId: string;
  rules: { byProject: string; progressive: string };
}

export async function world(ctx: TestContext): Promise<World> {
  const org = await ctx.signup();
  const types = await typeIds(ctx, org);
  return { ctx, org, workTypeId: types.work, invoiceTypeId: types.invoice, rules: await ruleIds(ctx, org) };
}

export async function ok(w: World, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, expect = [200, 201, 204]) {
  const r = await w.ctx.call(method, url, w.org.token, body);
  assert.ok(expect.includes(r.status), `${method} ${url} → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export const task = (w: World, body: Record<string, unknown>) => ok(w, 'POST', '/api/v1/tasks', { typeId: w.workTypeId, ...body });
export const line = (w: World, taskId: string, description: string, quantity: string, unitPriceCents: number, taxTreatment = 'taxable') =>
  ok(w, 'POST', `/api/v1/tasks/${taskId}/lines`, { description, quantity, unitPriceCents, taxTreatment });
export const note = (w: World, taskId: string, body: string) => ok(w, 'POST', `/api/v1/tasks/${taskId}/notes`, { body });
export const move = (w: World, taskId: string, to: string) => w.ctx.call('POST', `/api/v1/tasks/${taskId}/transitions`, w.org.token, { to });
export async function complete(w: World, taskId: string) {
  const r = await move(w, taskId, 'completed');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}
export const enable = (w: World, ruleId: string) => ok(w, 'POST', `/api/v1/automations/${ruleId}/enable`);

/** Every line of a task, all pages. */
export async function allLines(w: World, taskId: string) {
  const out = [];
  let cursor: string | null = null;
  do {
    const page = await ok(w, 'GET', `/api/v1/tasks/${taskId}/lines?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

export const invoice = (w: World, taskId: string) => ok(w, 'GET', `/api/v1/tasks/${taskId}/invoice?limit=1000`);

/** Progressive billing helpers: clients, their invoice tasks, top-level work with two lines. */
export function billing(w: World) {
  let n = 0;
  const b = {
    client: async () =>
      (await ok(w, 'POST', '/api/v1/clients', { name: `Client ${++n}-${Math.random().toString(36).slice(2, 6)}`, taxRegion: 'QC' })).id as string,
    openInvoice: (clientId: string, title = 'Facture') => task(w, { typeId: w.invoiceTypeId, title, clientId }),
    createInvoice: (clientId: string, title = 'Facture') => w.ctx.call('POST', '/api/v1/tasks', w.org.token, { typeId: w.invoiceTypeId, title, clientId }),
    getTask: (id: string) => ok(w, 'GET', `/api/v1/tasks/${id}`),
    unbilled: (clientId: string) => ok(w, 'GET', `/api/v1/clients/${clientId}/unbilled`),
    /** A top-level work task for the client with a taxable and an exempt line. */
    async work(clientId: string, title = 'Fibre') {
      const t = await task(w, { title, clientId });
      const a = await line(w, t.id, `${title} — pose`, '3.5', 4200);
      const c = await line(w, t.id, `${title} — matériel`, '1', 999, 'exempt');
      return { ...t, lineIds: [a.id, c.id].sort() as string[], subtotal: (a.amountCents + c.amountCents) as number };
    },
    /** Ids of the lines a task's consolidated copies were made from (read in the database), sorted. */
    sources: async (taskId: string) =>
      (
        await w.ctx.deps.db.kysely
          .selectFrom('task_lines')
          .select('source_id')
          .where('task_id', '=', taskId)
          .where('source_id', 'is not', null)
          .orderBy('source_id')
          .execute()
      ).map((r) => r.source_id!),
    /** Ids of the lines pending for the client, sorted. */
    pendingIds: async (clientId: string) =>
      ((await b.unbilled(clientId)).items as { lines: { id: string }[] }[]).flatMap((i) => i.lines.map((l) => l.id)).sort(),
  };
  return b;
}
