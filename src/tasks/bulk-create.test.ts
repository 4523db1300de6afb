import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { typeIds } from '../testing/defaults.ts';
import { describeEachStore, testContext, type Org, type TestContext } from '../testing/harness.ts';
import { MAX_BULK_TASKS } from './schemas.ts';

describeEachStore('createTasks (POST /tasks/bulk)', (store) => {
  let ctx: TestContext;
  let org: Org;
  let work: string;
  let main: { id: string; number: number };

  before(async () => {
    ctx = await testContext(store);
    org = await ctx.signup();
    work = (await typeIds(ctx, org)).work;
    main = (await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: work, title: 'Projet' })).body;
  });
  after(() => ctx.close());

  const bulk = (body: unknown, headers: Record<string, string> = {}, token = org.token) => ctx.call('POST', '/api/v1/tasks/bulk', token, body, headers);
  const countRows = async (table: 'tasks' | 'task_lines' | 'task_history') =>
    Number(
      (
        await ctx.deps.db.kysely
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .where('org_id', '=', org.orgId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const item = (i: number, extra: Record<string, unknown> = {}) => ({
    typeId: work,
    title: `Sous-tâche ${i}`,
    parentId: main.id,
    lines: [{ description: `Ligne ${i}`, quantity: '1.5', unitPriceCents: 1001 }],
    ...extra,
  });

  it('creates every task with its lines, numbered without a gap in the order sent, each as one-by-one creation would', async () => {
    const before = (await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: work, title: 'Before' })).body.number as number;
    const r = await bulk([
      item(1),
      item(2, { lines: [] }),
      item(3, { lines: [item(3).lines[0], { description: 'Exempt', quantity: 2, unitPriceCents: 5, taxTreatment: 'exempt' }] }),
    ]);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.count, 3);
    assert.equal(r.body.lineCount, 3);
    assert.deepEqual(
      r.body.tasks.map((t: { number: number }) => t.number),
      [before + 1, before + 2, before + 3],
    );
    assert.deepEqual(
      r.body.tasks.map((t: { displayNumber: string }) => t.displayNumber),
      [1, 2, 3].map((k) => `T-${before + k}`),
    );
    const after = (await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: work, title: 'After' })).body.number as number;
    assert.equal(after, before + 4, 'the counter moved past the bulk numbers');
    const third = await ctx.call('GET', `/api/v1/tasks/${r.body.tasks[2].id}`, org.token);
    assert.equal(third.body.parentId, main.id);
    assert.equal(third.body.status, 'todo');
    assert.equal(third.body.createdBy, org.userId);
    const lines = (await ctx.call('GET', `/api/v1/tasks/${r.body.tasks[2].id}/lines`, org.token)).body.items;
    assert.deepEqual(
      lines.map((l: any) => [l.position, l.quantity, l.amountCents, l.taxTreatment]),
      [
        [1, '1.5', 1502, 'taxable'],
        [2, '2', 10, 'exempt'],
      ],
    );
    const history = (await ctx.call('GET', `/api/v1/tasks/${r.body.tasks[0].id}/history`, org.token)).body.items;
    assert.deepEqual(
      history.map((h: any) => [h.from, h.to]),
      [[null, 'todo']],
    );
    const subs = (await ctx.call('GET', `/api/v1/tasks?parentId=${main.id}&limit=500`, org.token)).body.items;
    assert.ok(
      r.body.tasks.every((t: { id: string }) => subs.some((s: { id: string }) => s.id === t.id)),
      'listed under the main task',
    );
  });

  it('takes NDJSON, one task a line, as the same array', async () => {
    const ndjson = `${JSON.stringify(item(10))}\n\n${JSON.stringify(item(11))}\n`;
    const r = await bulk(ndjson, { 'content-type': 'application/x-ndjson' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.count, 2);
    const bad = await bulk(`${JSON.stringify(item(12))}\n{"typeId":`, { 'content-type': 'application/x-ndjson' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'malformed_json');
    assert.equal(bad.body.error.details.line, 2);
  });

  it('refuses the whole request when one item is invalid, naming the item and its field, and writes nothing', async () => {
    const rows = { tasks: await countRows('tasks'), lines: await countRows('task_lines'), history: await countRows('task_history') };
    const items = Array.from({ length: 40 }, (_, i) => item(i));
    const cases: [Record<string, unknown>, string, string][] = [
      [{ lines: [item(0).lines[0], item(0).lines[0], { description: 'x', quantity: '-1', unitPriceCents: 1 }] }, 'invalid_quantity', '37.lines.2.quantity'],
      [{ lines: [{ description: 'x', quantity: '1', unitPriceCents: 12.5 }] }, 'invalid_unit_price', '37.lines.0.unitPriceCents'],
      [{ parentId: '00000000-0000-4000-8000-000000000000' }, 'parent_not_found', '37.parentId'],
      [{ clientId: '00000000-0000-4000-8000-000000000000' }, 'client_not_found', '37.clientId'],
      [{ typeId: '00000000-0000-4000-8000-000000000000' }, 'task_type_not_found', '37.typeId'],
      [{ status: 'completed' }, 'invalid_initial_status', '37.status'],
      [{ scheduledStart: '2026-01-02T00:00:00Z', scheduledEnd: '2026-01-01T00:00:00Z' }, 'invalid_schedule', '37.scheduledEnd'],
      [{ assigneeIds: ['00000000-0000-4000-8000-000000000000'] }, 'assignee_not_found', '37.assigneeIds'],
    ];
    for (const [change, code, field] of cases) {
      const body = items.map((x, i) => (i === 37 ? { ...x, ...change } : x));
      const r = await bulk(body);
      assert.equal(r.status, 400, `${code}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.code, code);
      assert.equal(r.body.error.details.index, 37, code);
      assert.equal(r.body.error.details.field, field);
    }
    const schema = await bulk(items.map((x, i) => (i === 37 ? { ...x, lines: [{ description: 'x', quantity: '1' }] } : x)));
    assert.equal(schema.status, 400);
    assert.equal(schema.body.error.code, 'validation_failed');
    assert.ok(
      schema.body.error.details.fields.some((f: { path: string }) => f.path === 'body.37.lines.0.unitPriceCents'),
      JSON.stringify(schema.body),
    );
    assert.deepEqual({ tasks: await countRows('tasks'), lines: await countRows('task_lines'), history: await countRows('task_history') }, rows);
  });

  it('refuses another organization’s parent as one-by-one does, and lets no technician in', async () => {
    const other = await ctx.signup();
    const r = await bulk([item(1)], {}, other.token);
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'task_type_not_found', 'the type is not theirs either');
    const theirType = (await typeIds(ctx, other)).work;
    const parent = await bulk([{ ...item(1), typeId: theirType }], {}, other.token);
    assert.equal(parent.body.error.code, 'parent_not_found');
    const tech = await ctx.addUser(org, 'technician');
    assert.equal((await bulk([item(1)], {}, tech.token)).status, 403);
  });

  it(`answers 413 bulk_too_large beyond ${MAX_BULK_TASKS} items, before validating them`, async () => {
    const tiny = { typeId: work, title: 'x' };
    const r = await bulk(Array.from({ length: MAX_BULK_TASKS + 1 }, () => tiny));
    assert.equal(r.status, 413);
    assert.equal(r.body.error.code, 'bulk_too_large');
    const lines = Array.from({ length: 1000 }, () => ({ description: 'l', quantity: '1', unitPriceCents: 1 }));
    const many = await bulk(Array.from({ length: 101 }, () => ({ ...tiny, lines })));
    assert.equal(many.status, 413, 'over 100,000 lines in all');
  });

  it('creates 10,000 tasks with a line each in one request', async () => {
    const before = await countRows('tasks');
    const r = await bulk(Array.from({ length: 10_000 }, (_, i) => item(i)));
    assert.equal(r.status, 201, JSON.stringify(r.body).slice(0, 500));
    assert.equal(r.body.count, 10_000);
    assert.equal(await countRows('tasks'), before + 10_000);
    const numbers = r.body.tasks.map((t: { number: number }) => t.number);
    assert.equal(new Set(numbers).size, 10_000);
    assert.equal(numbers[9_999] - numbers[0], 9_999, 'consecutive numbers');
  });

  it('replays the answer for a repeat with the same Idempotency-Key, creating nothing more', async () => {
    const before = await countRows('tasks');
    const key = { 'idempotency-key': `bulk-${Math.random()}` };
    const first = await bulk([item(1), item(2)], key);
    const again = await bulk([item(1), item(2)], key);
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual(again.body, first.body);
    assert.equal(await countRows('tasks'), before + 2);
  });
});
