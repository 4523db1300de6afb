import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, fixedClock, TEST_PASSWORD, testContext, type TestContext } from '../testing/harness.ts';
import { loadDemo, type DemoResult } from './index.ts';

type Task = { id: string; title: string; status: string; statusCategory: string; typeId: string; assigneeIds: string[]; client: { name: string } | null };
type Line = { description: string; quantity: string; amountCents: number };

describeEachStore('chantier demo', (store) => {
  let ctx: TestContext;
  let demo: DemoResult;
  const get = async (url: string, headers?: Record<string, string>) => {
    const r = await ctx.call('GET', url, headers ? undefined : demo.token, undefined, headers);
    assert.equal(r.status, 200, `${url}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const tasksWhere = async (query: string): Promise<Task[]> => (await get(`/api/v1/tasks?limit=500&${query}`)).items;
  const byTitle = async (title: string) => (await tasksWhere('')).find((t) => t.title === title)!;
  const linesOf = async (taskId: string): Promise<Line[]> => (await get(`/api/v1/tasks/${taskId}/lines`)).items;

  before(async () => {
    ctx = await testContext(store, { clock: fixedClock('2026-03-16T15:00:00.000Z') });
    demo = await loadDemo(ctx.deps, { password: TEST_PASSWORD });
  });
  after(() => ctx.close());

  it('gives a token that opens the admin account, and a password that logs in', async () => {
    assert.equal(demo.status, 'loaded');
    const me = await get('/api/v1/users/me');
    assert.equal(me.email, 'martin@martin-kim.example');
    assert.equal(me.role, 'admin');
    const login = await ctx.call('POST', '/api/v1/auth/login', undefined, { email: demo.login.email, password: demo.login.password });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    const users = (await get('/api/v1/users')).items as { role: string }[];
    assert.deepEqual(users.map((u) => u.role).sort(), ['admin', 'dispatcher', 'technician', 'technician', 'technician']);
  });

  it('sets the seller details invoices will show: address and GST/QST numbers', async (t) => {
    if (demo.skipped.some((s) => s.startsWith('organization settings'))) return t.skip('this server has no organization settings route yet');
    const org = await get('/api/v1/organization');
    assert.equal(org.name, 'Excavation Martin & Fibre Kim');
    assert.equal(org.locale, 'fr-CA');
    assert.deepEqual([org.gstNumber, org.qstNumber], ['123456789RT0001', '1234567890TQ0001']);
    assert.equal(org.address?.city, 'Vaudreuil-Dorion');
  });

  it('loads the two clients, one in Quebec and one in Ontario with two billing emails', async () => {
    const clients = (await get('/api/v1/clients')).items as { name: string; taxRegion: string; language: string; billingEmails: string[] }[];
    const tremblay = clients.find((c) => c.name === 'Famille Tremblay')!;
    const boreal = clients.find((c) => c.name === 'Réseau Boréal inc.')!;
    assert.deepEqual([tremblay.taxRegion, tremblay.language], ['QC', 'fr']);
    assert.deepEqual([boreal.taxRegion, boreal.language, boreal.billingEmails.length], ['ON', 'en', 2]);
  });

  it("builds Martin's project: a main task with an excavation done and a paving under way, by two technicians", async () => {
    const main = await byTitle('Entrée de garage — Famille Tremblay');
    assert.equal(main.client?.name, 'Famille Tremblay');
    const subs = await tasksWhere(`parentId=${main.id}`);
    assert.deepEqual(subs.map((t) => [t.title, t.status]), [['Excavation', 'completed'], ['Pavage', 'in_progress']]);
    assert.equal(subs[0].assigneeIds.length, 1);
    assert.notDeepEqual(subs[0].assigneeIds, subs[1].assigneeIds);
    const history = (await get(`/api/v1/tasks/${subs[0].id}/history`)).items as { from: string | null; to: string; userId: string }[];
    assert.deepEqual(history.map((h) => h.to), ['todo', 'in_progress', 'completed']);
    assert.equal(history[2].userId, subs[0].assigneeIds[0], 'the technician completed the excavation');
  });

  it('puts invoice lines with exact amounts on the project and on the fibre work', async (t) => {
    if (demo.skipped.some((s) => s.startsWith('invoice lines'))) return t.skip('this server has no invoice lines route yet');
    const main = await byTitle('Entrée de garage — Famille Tremblay');
    const tree = [main, ...(await tasksWhere(`parentId=${main.id}`))];
    // Wherever consolidation puts them, the project's lines and their amounts are these.
    const project = (await Promise.all(tree.map((x) => linesOf(x.id)))).flat();
    const amounts = Object.fromEntries(project.map((l) => [l.description, l.amountCents]));
    assert.deepEqual(amounts, {
      'Excavatrice 20 t avec opérateur': 94250, // 6.5 h × 145.00 $
      'Gravier 0-3/4 livré': 49088, // 12.75 t × 38.50 $ = 490.875 → 490.88 $
      'Transport — camion 10 roues': 37500,
      'Disposition de la terre excavée': 22663, // 18.5 t × 12.25 $ = 226.625 → 226.63 $
      'Asphalte EB-10C posé': 124080,
      "Main-d'œuvre — équipe de pavage": 93600,
      'Rouleau compacteur': 38000,
    });
    assert.equal(project.find((l) => l.description === 'Gravier 0-3/4 livré')!.quantity, '12.75');
    const larch = await byTitle('Installation fibre — 42 Larch Street');
    assert.deepEqual((await linesOf(larch.id)).map((l) => l.amountCents), [21600, 11543, 39100, 15000]);
  });

  it("opens this month's invoice task for Réseau Boréal, beside three fibre installations", async () => {
    const invoice = await byTitle('Facture Réseau Boréal — mars 2026');
    assert.ok(invoice, 'the invoice task is titled with the current month');
    assert.equal(invoice.status, 'open');
    const types = (await get('/api/v1/task-types')).items as { id: string; key: string; billing: boolean }[];
    assert.equal(types.find((x) => x.id === invoice.typeId)?.key, 'invoice');
    const work = types.find((x) => x.key === 'work')!;
    const fibre = (await tasksWhere(`typeId=${work.id}`)).filter((x) => x.client?.name === 'Réseau Boréal inc.');
    assert.deepEqual(fibre.map((x) => x.status), ['completed', 'completed', 'scheduled']);
  });

  it("shows Kim's technician only the fibre installations", async () => {
    const samuel = await ctx.call('POST', '/api/v1/auth/login', undefined, { email: 'samuel@martin-kim.example', password: TEST_PASSWORD });
    const cookie = `chantier_session=${String(samuel.headers['set-cookie']).match(/chantier_session=([^;]+)/)![1]}`;
    const seen = (await get('/api/v1/tasks', { cookie })).items as Task[];
    assert.deepEqual(seen.map((x) => x.title), [
      'Installation fibre — 118 Cedar Street',
      'Installation fibre — 42 Larch Street',
      'Installation fibre — 9 Mountain Street',
    ]);
  });

  it('loads nothing more when run again, and gives a fresh token that works', async () => {
    const before = (await tasksWhere('')).length;
    const again = await loadDemo(ctx.deps);
    assert.equal(again.status, 'already_loaded');
    assert.equal(again.organization.id, demo.organization.id);
    assert.equal(again.login.password, null);
    assert.notEqual(again.token, demo.token);
    const me = await ctx.call('GET', '/api/v1/users/me', again.token);
    assert.equal(me.status, 200);
    assert.equal(me.body.email, 'martin@martin-kim.example');
    assert.equal((await tasksWhere('')).length, before);
    const orgs = await ctx.deps.db.kysely.selectFrom('organizations').select('id').where('name', '=', demo.organization.name).execute();
    assert.equal(orgs.length, 1);
  });
});

describeEachStore('chantier demo on a server with sign-up closed', (store) => {
  it('still loads: the demo is the operator’s command, not a visitor’s sign-up', async () => {
    const ctx = await testContext(store, { config: { signup: 'closed' } });
    try {
      const closed = await ctx.call('POST', '/api/v1/signup', undefined, { orgName: 'X', name: 'X', email: 'x@example.com', password: TEST_PASSWORD });
      assert.equal(closed.status, 403);
      const demo = await loadDemo(ctx.deps);
      assert.equal(demo.status, 'loaded');
      assert.equal((await ctx.call('GET', '/api/v1/users/me', demo.token)).status, 200);
    } finally {
      await ctx.close();
    }
  });
});
