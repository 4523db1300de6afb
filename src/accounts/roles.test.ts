import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, TEST_PASSWORD, type Org, type TestContext } from '../testing/harness.ts';
import { typeIds } from '../testing/defaults.ts';

const workflow = {
  initial: 'new',
  statuses: [
    { key: 'new', label: { fr: 'Nouveau', en: 'New' }, category: 'open' },
    { key: 'done', label: { fr: 'Fait', en: 'Done' }, category: 'done' },
  ],
  transitions: [{ from: 'new', to: 'done' }],
};

describeEachStore('what each role may do', (store) => {
  let ctx: TestContext;
  let admin: Org;
  let dispatcher: Org;
  let tech: Org;
  let workTypeId: string;
  let clientId: string;

  before(async () => {
    ctx = await testContext(store);
    admin = await ctx.signup();
    dispatcher = await ctx.addUser(admin, 'dispatcher');
    tech = await ctx.addUser(admin, 'technician');
    workTypeId = (await typeIds(ctx, admin)).work;
    clientId = (await ctx.call('POST', '/api/v1/clients', admin.token, { name: 'Ville de Laval' })).body.id;
  });
  after(() => ctx.close());

  const count = async (table: 'tasks' | 'clients' | 'users' | 'task_types') =>
    (await ctx.deps.db.kysely.selectFrom(table).select('id').where('org_id', '=', admin.orgId).execute()).length;
  const refused = (r: { status: number; body: any }, what: string) => {
    assert.equal(r.status, 403, `${what}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.code, 'role_not_allowed', what);
  };
  const newUser = (role: string) => ({ name: 'New', email: `new-${Math.random().toString(36).slice(2, 8)}@example.com`, password: TEST_PASSWORD, role });
  const newType = () => ({ key: `k${Math.random().toString(36).slice(2, 8)}`, label: { fr: 'Type', en: 'Type' }, prefix: 'K', workflow });

  it('refuses a technician creating tasks, and writes nothing', async () => {
    const before = await count('tasks');
    refused(await ctx.call('POST', '/api/v1/tasks', tech.token, { typeId: workTypeId, title: 'Mine' }), 'POST /tasks');
    assert.equal(await count('tasks'), before);
  });

  it('keeps clients away from a technician: no list, no read, no write', async () => {
    const before = await count('clients');
    refused(await ctx.call('GET', '/api/v1/clients', tech.token), 'GET /clients');
    refused(await ctx.call('GET', `/api/v1/clients/${clientId}`, tech.token), 'GET /clients/:id');
    refused(await ctx.call('POST', '/api/v1/clients', tech.token, { name: 'X' }), 'POST /clients');
    refused(await ctx.call('PATCH', `/api/v1/clients/${clientId}`, tech.token, { name: 'X' }), 'PATCH /clients/:id');
    refused(await ctx.call('DELETE', `/api/v1/clients/${clientId}`, tech.token), 'DELETE /clients/:id');
    assert.equal(await count('clients'), before);
    assert.equal((await ctx.call('GET', `/api/v1/clients/${clientId}`, admin.token)).body.name, 'Ville de Laval');
  });

  it('keeps the user list and other users away from a technician, but not themself', async () => {
    refused(await ctx.call('GET', '/api/v1/users', tech.token), 'GET /users');
    refused(await ctx.call('GET', `/api/v1/users/${admin.userId}`, tech.token), 'GET /users/:id');
    refused(await ctx.call('PATCH', `/api/v1/users/${dispatcher.userId}`, tech.token, { name: 'X' }), 'PATCH /users/:id');
    assert.equal((await ctx.call('GET', `/api/v1/users/${tech.userId}`, tech.token)).status, 200);
    assert.equal((await ctx.call('GET', '/api/v1/users/me', tech.token)).body.role, 'technician');
  });

  it('lets a technician read the task types, but not change them', async () => {
    assert.equal((await ctx.call('GET', '/api/v1/task-types', tech.token)).status, 200);
    assert.equal((await ctx.call('GET', `/api/v1/task-types/${workTypeId}`, tech.token)).status, 200);
    refused(await ctx.call('POST', '/api/v1/task-types', tech.token, newType()), 'POST /task-types');
  });

  it('refuses a dispatcher adding or editing users, and writes nothing', async () => {
    const before = await count('users');
    refused(await ctx.call('POST', '/api/v1/users', dispatcher.token, newUser('technician')), 'POST /users');
    refused(await ctx.call('PATCH', `/api/v1/users/${tech.userId}`, dispatcher.token, { name: 'Renamed' }), 'PATCH another user');
    refused(await ctx.call('PATCH', `/api/v1/users/${dispatcher.userId}`, dispatcher.token, { role: 'admin' }), 'raise own role');
    assert.equal(await count('users'), before);
    assert.equal((await ctx.call('GET', '/api/v1/users/me', dispatcher.token)).body.role, 'dispatcher');
    assert.notEqual((await ctx.call('GET', `/api/v1/users/${tech.userId}`, admin.token)).body.name, 'Renamed');
  });

  it('refuses a dispatcher creating, editing or deleting task types, and changes nothing', async () => {
    const before = await count('task_types');
    refused(await ctx.call('POST', '/api/v1/task-types', dispatcher.token, newType()), 'POST /task-types');
    refused(await ctx.call('PATCH', `/api/v1/task-types/${workTypeId}`, dispatcher.token, { prefix: 'W' }), 'PATCH /task-types/:id');
    refused(await ctx.call('DELETE', `/api/v1/task-types/${workTypeId}`, dispatcher.token), 'DELETE /task-types/:id');
    assert.equal(await count('task_types'), before);
    const work = await ctx.call('GET', `/api/v1/task-types/${workTypeId}`, admin.token);
    assert.equal(work.body.prefix, 'T');
    assert.equal(work.body.version, 1);
  });

  it('lets a dispatcher run the day: users list, clients, tasks and assignments', async () => {
    assert.equal((await ctx.call('GET', '/api/v1/users', dispatcher.token)).status, 200);
    const client = await ctx.call('POST', '/api/v1/clients', dispatcher.token, { name: 'Pavage Nord' });
    assert.equal(client.status, 201);
    const task = await ctx.call('POST', '/api/v1/tasks', dispatcher.token, { typeId: workTypeId, title: 'Paving', clientId: client.body.id });
    assert.equal(task.status, 201);
    const patched = await ctx.call('PATCH', `/api/v1/tasks/${task.body.id}`, dispatcher.token, { assigneeIds: [tech.userId] });
    assert.equal(patched.status, 200);
    assert.deepEqual(patched.body.assigneeIds, [tech.userId]);
  });

  it('lets an admin add users and manage task types', async () => {
    const user = await ctx.call('POST', '/api/v1/users', admin.token, newUser('dispatcher'));
    assert.equal(user.status, 201);
    const type = await ctx.call('POST', '/api/v1/task-types', admin.token, newType());
    assert.equal(type.status, 201, JSON.stringify(type.body));
    const edited = await ctx.call('PATCH', `/api/v1/task-types/${type.body.id}`, admin.token, { prefix: 'KK' });
    assert.equal(edited.body.prefix, 'KK');
    assert.equal((await ctx.call('DELETE', `/api/v1/task-types/${type.body.id}`, admin.token)).status, 204);
    assert.equal((await ctx.call('GET', `/api/v1/task-types/${type.body.id}`, admin.token)).status, 404);
  });
});
