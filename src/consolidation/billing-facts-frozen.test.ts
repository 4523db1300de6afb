import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, type TestContext } from '../testing/harness.ts';
import { billing, complete, enable, move, ok, world, type World } from './testkit.ts';

describeEachStore('billing facts are frozen once a task is billed', (store) => {
  let ctx: TestContext;
  let w: World;
  let b: ReturnType<typeof billing>;
  before(async () => {
    ctx = await testContext(store);
    w = await world(ctx);
    b = billing(w);
    await enable(w, w.rules.progressive);
  });
  after(() => ctx.close());

  const patch = (id: string, body: Record<string, unknown>) => ctx.call('PATCH', `/api/v1/tasks/${id}`, w.org.token, body);
  const refused = (r: { status: number; body: any }, code: string) => {
    assert.equal(r.status, 409, JSON.stringify(r.body));
    assert.equal(r.body.error.code, code, JSON.stringify(r.body));
  };

  it("refuses to give consolidated work to another client: the client's next invoice still bills it, to the same client", async () => {
    const [a, other] = [await b.client(), await b.client()];
    const work = await b.work(a, 'Fibre — Cedar');
    await complete(w, work.id); // no open invoice: pending for client a
    const parent = await ok(w, 'POST', '/api/v1/tasks', { typeId: w.workTypeId, title: 'Projet', clientId: a });

    const toOther = await patch(work.id, { clientId: other });
    refused(toOther, 'task_content_consolidated');
    assert.deepEqual(toOther.body.error.details.fields, ['clientId']);
    refused(await patch(work.id, { parentId: parent.id }), 'task_content_consolidated');
    refused(await patch(work.id, { clientId: null }), 'task_content_consolidated');
    assert.equal((await patch(work.id, { title: 'Fibre — Cedar (posé)', clientId: a })).status, 200, 'other fields, and the same client, still save');

    const inv = await b.openInvoice(a, 'Facture a');
    assert.deepEqual(await b.sources(inv.id), work.lineIds, "the client's invoice took the work");
    assert.equal((await b.getTask(work.id)).client.id, a);
    assert.deepEqual(await b.pendingIds(other), [], 'nothing waits for the other client');
  });

  it('keeps the client of an invoice task holding consolidated work, and of an issued one', async () => {
    const [a, other] = [await b.client(), await b.client()];
    const inv = await b.openInvoice(a, 'Facture a');
    const work = await b.work(a);
    await complete(w, work.id);
    assert.deepEqual(await b.sources(inv.id), work.lineIds);

    refused(await patch(inv.id, { clientId: other }), 'task_holds_consolidated_content');
    const empty = await b.openInvoice(other, 'Facture vide');
    assert.equal((await patch(empty.id, { clientId: a })).status, 200, 'an invoice task holding no consolidated work may change client');
    assert.equal((await patch(empty.id, { clientId: other })).status, 200);

    assert.equal((await move(w, inv.id, 'closed')).status, 200);
    refused(await patch(inv.id, { clientId: other }), 'task_invoiced');
    refused(await patch(inv.id, { parentId: empty.id }), 'task_invoiced');
    refused(await patch(work.id, { parentId: null }), 'task_content_consolidated');
    const issued = (await ok(w, 'GET', `/api/v1/invoices?taskId=${inv.id}&kind=invoice`)).items[0];
    assert.equal(issued.clientId, a);
  });

  it('frees the client again when the work is reopened (its content comes back)', async () => {
    const [a, other] = [await b.client(), await b.client()];
    const work = await b.work(a);
    await complete(w, work.id);
    assert.equal((await move(w, work.id, 'in_progress')).status, 200);
    assert.equal((await patch(work.id, { clientId: other })).status, 200);
    assert.deepEqual(await b.pendingIds(a), []);
  });

  it('refuses, in the database itself, a new client, type or parent for a consolidated or invoiced task', async () => {
    const [a, other] = [await b.client(), await b.client()];
    const work = await b.work(a);
    await complete(w, work.id);
    const inv = await b.openInvoice(a);
    const db = ctx.deps.db.kysely;
    const set = (id: string, values: Record<string, unknown>) => db.updateTable('tasks').set(values).where('id', '=', id).execute();
    await assert.rejects(set(work.id, { client_id: other }), /billing facts are frozen/);
    await assert.rejects(set(work.id, { type_id: w.invoiceTypeId }), /billing facts are frozen/);
    await assert.rejects(set(work.id, { parent_id: null }), /billing facts are frozen/);
    await assert.rejects(set(inv.id, { client_id: other }), /billing facts are frozen/, 'the invoice task holds the work');
    await set(work.id, { title: 'Renommée', client_id: a }); // other columns, and the same values, still change
    assert.equal((await move(w, inv.id, 'closed')).status, 200);
    await assert.rejects(set(inv.id, { parent_id: work.id }), /billing facts are frozen/);
  });

  it("keeps the category of a status tasks hold, and a type's billing flag while it has tasks", async () => {
    const type = await ok(w, 'GET', `/api/v1/task-types/${w.workTypeId}`);
    const withCategory = (key: string, category: string) => ({
      ...type.workflow,
      statuses: type.workflow.statuses.map((s: { key: string }) => (s.key === key ? { ...s, category } : s)),
    });
    const r = await ctx.call('PATCH', `/api/v1/task-types/${w.workTypeId}`, w.org.token, { workflow: withCategory('completed', 'active') });
    refused(r, 'status_category_in_use');
    assert.equal(r.body.error.details.statuses[0].key, 'completed');
    refused(await ctx.call('PATCH', `/api/v1/task-types/${w.workTypeId}`, w.org.token, { billing: true }), 'task_type_billing_in_use');
    refused(await ctx.call('PATCH', `/api/v1/task-types/${w.invoiceTypeId}`, w.org.token, { billing: false }), 'task_type_billing_in_use');
    assert.deepEqual((await ok(w, 'GET', `/api/v1/task-types/${w.workTypeId}`)).workflow, type.workflow, 'nothing changed');

    // A status no task holds may change category; a type with no task may change its billing flag.
    const held = new Set((await ok(w, 'GET', `/api/v1/tasks?typeId=${w.workTypeId}&limit=100`)).items.map((t: { status: string }) => t.status));
    assert.ok(!held.has('scheduled'));
    await ok(w, 'PATCH', `/api/v1/task-types/${w.workTypeId}`, { workflow: withCategory('scheduled', 'active') });
    const fresh = await ok(w, 'POST', '/api/v1/task-types', {
      key: 'inspection',
      label: { fr: 'Inspection', en: 'Inspection' },
      prefix: 'I',
      workflow: type.workflow,
    });
    assert.equal((await ok(w, 'PATCH', `/api/v1/task-types/${fresh.id}`, { billing: true })).billing, true);
  });
});
