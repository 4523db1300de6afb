import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, type Org, type TestContext } from '../testing/harness.ts';
import { typeIds } from '../testing/defaults.ts';

const site = { line1: '1200 boul. Saint-Martin O', city: 'Laval', region: 'QC', postalCode: 'H7S 2E4' };

describeEachStore('creating tasks', (store) => {
  let ctx: TestContext;
  let org: Org;
  let workTypeId: string;
  let clientId: string;
  let tech: Org;

  before(async () => {
    ctx = await testContext(store);
    org = await ctx.signup();
    tech = await ctx.addUser(org, 'technician');
    workTypeId = (await typeIds(ctx, org)).work;
    clientId = (await ctx.call('POST', '/api/v1/clients', org.token, { name: 'Municipalité de Lachute' })).body.id;
  });
  after(() => ctx.close());

  const taskCount = async (o: Org = org) => (await ctx.deps.db.kysely.selectFrom('tasks').select('id').where('org_id', '=', o.orgId).execute()).length;

  it('stores schedule times in UTC whatever offset the client sends', async () => {
    const r = await ctx.call('POST', '/api/v1/tasks', org.token, {
      typeId: workTypeId,
      title: 'Toronto morning',
      scheduledStart: '2025-06-02T08:00:00-04:00',
      scheduledEnd: '2025-06-02T16:30:00.5-04:00',
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.scheduledStart, '2025-06-02T12:00:00.000Z');
    assert.equal(r.body.scheduledEnd, '2025-06-02T20:30:00.500Z');
    const p = await ctx.call('PATCH', `/api/v1/tasks/${r.body.id}`, org.token, { scheduledEnd: '2025-06-03T01:00:00+05:00' });
    assert.equal(p.status, 200, JSON.stringify(p.body));
    assert.equal(p.body.scheduledEnd, '2025-06-02T20:00:00.000Z');
  });

  it('creates a task with client, parent, assignees, schedule and site address, and reads it back the same', async () => {
    const parent = await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, title: 'Rue Principale' });
    const body = {
      typeId: workTypeId,
      title: 'Excavation, lot 4',
      description: 'Dig to 1.2 m',
      clientId,
      parentId: parent.body.id,
      assigneeIds: [tech.userId, org.userId, tech.userId],
      scheduledStart: '2025-06-02T12:00:00Z',
      scheduledEnd: '2025-06-02T20:00:00Z',
      siteAddress: site,
    };
    const r = await ctx.call('POST', '/api/v1/tasks', org.token, body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const t = r.body;
    assert.equal(t.title, 'Excavation, lot 4');
    assert.equal(t.description, 'Dig to 1.2 m');
    assert.deepEqual(t.client, { id: clientId, name: 'Municipalité de Lachute' });
    assert.equal(t.parentId, parent.body.id);
    assert.deepEqual(t.assigneeIds, [tech.userId, org.userId].sort(), 'deduplicated and sorted');
    assert.equal(Date.parse(t.scheduledStart), Date.parse(body.scheduledStart));
    assert.equal(Date.parse(t.scheduledEnd), Date.parse(body.scheduledEnd));
    assert.deepEqual(t.siteAddress, { ...site, country: 'CA' });
    assert.equal(t.status, 'todo');
    assert.equal(t.statusCategory, 'open');
    assert.equal(t.createdBy, org.userId);
    assert.equal(t.version, 1);
    assert.equal(t.displayNumber, `T-${t.number}`);
    const got = await ctx.call('GET', `/api/v1/tasks/${t.id}`, org.token);
    assert.deepEqual(got.body, t);
    const history = await ctx.call('GET', `/api/v1/tasks/${t.id}/history`, org.token);
    assert.deepEqual(
      history.body.items.map((h: { from: null; to: string }) => [h.from, h.to]),
      [[null, 'todo']],
    );
  });

  it('numbers tasks 1, 2, 3… within each organization, independently', async () => {
    const a = await ctx.signup();
    const b = await ctx.signup();
    const typeOf = async (o: Org) => (await typeIds(ctx, o)).work;
    const [typeA, typeB] = [await typeOf(a), await typeOf(b)];
    const numbers = async (o: Org, typeId: string, n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await ctx.call('POST', '/api/v1/tasks', o.token, { typeId, title: `t${i}` })).body.number);
      return out;
    };
    assert.deepEqual(await numbers(a, typeA, 3), [1, 2, 3]);
    assert.deepEqual(await numbers(b, typeB, 2), [1, 2]);
    assert.deepEqual(await numbers(a, typeA, 1), [4]);
  });

  it('gives distinct, gapless numbers to tasks created at the same time', async () => {
    const o = await ctx.signup();
    const typeId = (await typeIds(ctx, o)).work;
    const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => ctx.call('POST', '/api/v1/tasks', o.token, { typeId, title: `p${i}` })));
    assert.ok(
      replies.every((r) => r.status === 201),
      JSON.stringify(replies.map((r) => r.body)),
    );
    assert.deepEqual(
      replies.map((r) => r.body.number).sort((x, y) => x - y),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
  });

  it('does not use up a number when creation fails', async () => {
    const o = await ctx.signup();
    const typeId = (await typeIds(ctx, o)).work;
    const bad = await ctx.call('POST', '/api/v1/tasks', o.token, { typeId, title: 'x', assigneeIds: ['01900000-0000-7000-8000-000000000000'] });
    assert.equal(bad.status, 400);
    assert.equal((await ctx.call('POST', '/api/v1/tasks', o.token, { typeId, title: 'first' })).body.number, 1);
  });

  it('refuses a scheduled end before the start (400 invalid_schedule), on create and edit, writing nothing', async () => {
    const before = await taskCount();
    const r = await ctx.call('POST', '/api/v1/tasks', org.token, {
      typeId: workTypeId,
      title: 'Backwards',
      scheduledStart: '2025-06-02T12:00:00Z',
      scheduledEnd: '2025-06-02T11:59:59Z',
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'invalid_schedule');
    assert.equal(await taskCount(), before);
    const t = (await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, title: 'Later', scheduledStart: '2025-06-02T12:00:00Z' })).body;
    const e = await ctx.call('PATCH', `/api/v1/tasks/${t.id}`, org.token, { scheduledEnd: '2025-06-01T12:00:00Z' });
    assert.equal(e.status, 400);
    assert.equal(e.body.error.code, 'invalid_schedule');
    const same = await ctx.call('GET', `/api/v1/tasks/${t.id}`, org.token);
    assert.equal(same.body.scheduledEnd, null);
    assert.equal(same.body.version, 1);
  });

  it('compares schedules across time zones by instant', async () => {
    const r = await ctx.call('POST', '/api/v1/tasks', org.token, {
      typeId: workTypeId,
      title: 'Across zones',
      scheduledStart: '2025-06-02T12:00:00Z',
      scheduledEnd: '2025-06-02T09:00:00-04:00',
    });
    assert.equal(r.status, 201, '09:00 in Montréal is 13:00 UTC, after the start');
  });

  it('refuses references that do not exist in the organization: type, client, assignee', async () => {
    const other = await ctx.signup();
    const theirClient = (await ctx.call('POST', '/api/v1/clients', other.token, { name: 'Theirs' })).body.id;
    const before = await taskCount();
    const cases: [Record<string, unknown>, string][] = [
      [{ typeId: (await ctx.call('GET', '/api/v1/task-types', other.token)).body.items[0].id }, 'task_type_not_found'],
      [{ clientId: theirClient }, 'client_not_found'],
      [{ assigneeIds: [other.userId] }, 'assignee_not_found'],
    ];
    for (const [extra, code] of cases) {
      const r = await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, title: 'Refs', ...extra });
      assert.equal(r.status, 400, code);
      assert.equal(r.body.error.code, code);
    }
    assert.equal(await taskCount(), before);
  });

  it('refuses an inactive user as assignee', async () => {
    const gone = await ctx.addUser(org, 'technician');
    await ctx.call('PATCH', `/api/v1/users/${gone.userId}`, org.token, { active: false });
    const r = await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, title: 'x', assigneeIds: [gone.userId] });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'assignee_not_found');
    assert.deepEqual(r.body.error.details.ids, [gone.userId]);
  });

  it('refuses an empty or blank title', async () => {
    for (const title of ['', '   ']) {
      const r = await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, title });
      assert.equal(r.status, 400, JSON.stringify(title));
      assert.equal(r.body.error.code, 'validation_failed');
    }
  });

  it('edits fields and clears the nullable ones with null', async () => {
    const t = (await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, title: 'Edit me', clientId, siteAddress: site, description: 'd' }))
      .body;
    const r = await ctx.call('PATCH', `/api/v1/tasks/${t.id}`, org.token, {
      title: 'Edited',
      clientId: null,
      siteAddress: null,
      description: null,
      version: 1,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.title, 'Edited');
    assert.equal(r.body.client, null);
    assert.equal(r.body.siteAddress, null);
    assert.equal(r.body.description, null);
    assert.equal(r.body.version, 2);
    assert.equal(r.body.status, 'todo', 'an edit does not touch the status');
    assert.deepEqual((await ctx.call('GET', `/api/v1/tasks/${t.id}`, org.token)).body, r.body);
  });
});
