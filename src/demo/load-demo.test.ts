import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { simpleParser } from 'mailparser';
import { runScheduleNow } from '../automation/schedule/index.ts';
import { formatMoney } from '../invoicing/format.ts';
import { pdfText } from '../invoicing/testkit.ts';
import { describeEachStore, fixedClock, TEST_PASSWORD, testContext, type TestContext } from '../testing/harness.ts';
import { createWorker } from '../worker.ts';
import { DEMO, loadDemo, tellStories, type DemoResult } from './index.ts';

type Task = {
  id: string;
  displayNumber: string;
  title: string;
  status: string;
  statusCategory: string;
  typeId: string;
  parentId: string | null;
  assigneeIds: string[];
  client: { id: string; name: string } | null;
};
type Line = { description: string; quantity: string; amountCents: number };
type Group = { source: { number: string; title: string } | null; subtotalCents: number; lines: Line[] };

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
  const groupsOf = (view: { groups: Group[] }) => view.groups.map((g) => [g.source?.title ?? null, g.subtotalCents, g.lines.length]);
  const move = async (taskId: string, to: string) => {
    const r = await ctx.call('POST', `/api/v1/tasks/${taskId}/transitions`, demo.token, { to });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body as Task;
  };
  const clock = fixedClock('2026-03-16T15:00:00.000Z'); // a Monday mid-March, 11:00 in Toronto

  before(async () => {
    ctx = await testContext(store, { clock });
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
    assert.deepEqual(org.invoicing, { ready: true, missing: [], missingByTax: { GST: [], HST: [], QST: [] } }, 'its invoices may charge GST, HST and QST');
  });

  it('loads the two clients, one in Quebec and one in Ontario with two billing emails', async () => {
    const clients = (await get('/api/v1/clients')).items as { name: string; taxRegion: string; language: string; billingEmails: string[] }[];
    const tremblay = clients.find((c) => c.name === 'Famille Tremblay')!;
    const boreal = clients.find((c) => c.name === 'Réseau Boréal inc.')!;
    assert.deepEqual([tremblay.taxRegion, tremblay.language], ['QC', 'fr']);
    assert.deepEqual([boreal.taxRegion, boreal.language, boreal.billingEmails.length], ['ON', 'fr', 2]);
  });

  it("enables the two consolidation rules and sets up Kim's month: close at month-end, then email, then next month's invoice", async () => {
    const rules = (await get('/api/v1/automations')).items as {
      id: string;
      key: string | null;
      name: string;
      enabled: boolean;
      position: number;
      trigger: Record<string, any>;
      conditions: Record<string, any>;
      actions: Record<string, any>[];
    }[];
    const byProject = rules.find((r) => r.key === 'consolidate_by_project')!;
    const progressive = rules.find((r) => r.key === 'progressive_billing')!;
    assert.deepEqual([byProject.enabled, byProject.actions[0].completeTargetWhenDone], [true, true]);
    assert.equal(progressive.enabled, true);

    const named = (name: string) => rules.find((r) => r.name === name)!;
    const monthEnd = named('Month-end: close the invoices');
    const email = named('Email the issued invoice');
    const next = named("Next month's invoice (monthly clients)");
    assert.ok([monthEnd, email, next].every((r) => r.enabled));
    const invoiceType = demo.taskTypes.invoice;
    assert.deepEqual(monthEnd.trigger, {
      type: 'schedule',
      schedule: { kind: 'monthly', day: 'last', time: '17:00' },
      target: { taskTypeIds: [invoiceType], statusCategory: 'open', hasContent: true },
    });
    assert.deepEqual(
      monthEnd.actions.map((a) => [a.type, a.to]),
      [['transition_task', 'closed']],
    );
    for (const r of [email, next]) assert.deepEqual(r.trigger, { type: 'status_entered', status: 'closed', taskTypeIds: [invoiceType] });
    assert.deepEqual([email.actions[0].type, email.actions[0].to, email.actions[0].attach], ['send_email', { clientBilling: true }, { invoicePdf: true }]);
    assert.deepEqual([next.actions[0].type, next.actions[0].typeId, next.conditions.clientIds], ['create_task', invoiceType, [demo.clients.boreal]]);
    assert.ok(email.position < next.position, "the email (with the invoice just issued) goes before next month's task is created");
    assert.deepEqual(
      demo.rules.map((r) => [r.key, r.scheduled]),
      [
        ['by-project', false],
        ['progressive', false],
        ['month-end', true],
        ['email-invoice', false],
        ['next-invoice', false],
      ],
    );
    assert.equal(demo.rules.find((r) => r.key === 'month-end')!.id, monthEnd.id);
  });

  it("rolls Martin's excavation and paving, by two technicians, into the main task, which completes with them", async () => {
    const main = await byTitle('Entrée de garage — Famille Tremblay');
    assert.equal(main.client?.name, 'Famille Tremblay');
    assert.equal(main.status, 'completed', 'completeTargetWhenDone: the last sub-task completed the main task');
    const subs = await tasksWhere(`parentId=${main.id}`);
    assert.deepEqual(
      subs.map((t) => [t.title, t.status]),
      [
        ['Excavation', 'completed'],
        ['Pavage', 'completed'],
      ],
    );
    assert.equal(subs[0].assigneeIds.length, 1);
    assert.notDeepEqual(subs[0].assigneeIds, subs[1].assigneeIds);
    const history = (await get(`/api/v1/tasks/${subs[0].id}/history`)).items as { from: string | null; to: string; userId: string }[];
    assert.deepEqual(
      history.map((h) => h.to),
      ['todo', 'in_progress', 'completed'],
    );
    assert.equal(history[2].userId, subs[0].assigneeIds[0], 'the technician completed the excavation');

    const view = await get(`/api/v1/tasks/${main.id}/invoice`);
    assert.deepEqual(groupsOf(view), [
      // 6.5 h × 145.00 + 12.75 t × 38.50 (490.875 → 490.88) + 3 × 125.00 + 18.5 t × 12.25 (226.625 → 226.63)
      ['Excavation', 203501, 4],
      // 9.4 t × 132.00 + 12 h × 78.00 + 4 h × 95.00
      ['Pavage', 255680, 3],
    ]);
    assert.deepEqual(Object.fromEntries(view.groups.flatMap((g: Group) => g.lines.map((l) => [l.description, l.amountCents]))), {
      'Excavatrice 20 t avec opérateur': 94250,
      'Gravier 0-3/4 livré': 49088,
      'Transport — camion 10 roues': 37500,
      'Disposition de la terre excavée': 22663,
      'Asphalte EB-10C posé': 124080,
      "Main-d'œuvre — équipe de pavage": 93600,
      'Rouleau compacteur': 38000,
    });
    assert.equal(view.groups[0].lines.find((l: Line) => l.description === 'Gravier 0-3/4 livré').quantity, '12.75');
    // Quebec: GST 5% of 4,591.81 = 229.59; QST 9.975% = 458.03; total 5,279.43.
    assert.deepEqual(
      [view.totals.subtotalCents, view.totals.taxes.map((t: { tax: string; amountCents: number }) => [t.tax, t.amountCents]), view.totals.totalCents],
      [
        459181,
        [
          ['GST', 22959],
          ['QST', 45803],
        ],
        527943,
      ],
    );
    assert.equal(demo.tasks.driveway.totalCents, 527943);
    const files = (await get(`/api/v1/tasks/${main.id}/attachments`)).items as { displayName: string }[];
    assert.deepEqual(
      files.map((f) => f.displayName),
      [`${demo.tasks.excavation.displayNumber} – Bon de livraison gravier.txt`],
    );

    // A Work task issues no invoice: with Progressive billing on, the finished project waits for Famille Tremblay's next invoice task.
    const unbilled = await get(`/api/v1/clients/${demo.clients.tremblay}/unbilled`);
    assert.deepEqual([unbilled.items.map((i: { task: { id: string } }) => i.task.id), unbilled.subtotalCents], [[main.id], 459181]);
  });

  it("rolls Kim's completed fibre installations into Réseau Boréal's open invoice for the month", async () => {
    const invoice = await byTitle('Facture Réseau Boréal inc. — mars 2026');
    assert.ok(invoice, 'the invoice task is titled with the current month, as the next-month rule titles the following ones');
    assert.equal(invoice.status, 'open');
    const types = (await get('/api/v1/task-types')).items as { id: string; key: string; billing: boolean }[];
    assert.equal(types.find((x) => x.id === invoice.typeId)?.key, 'invoice');
    const fibre = (await tasksWhere(`typeId=${demo.taskTypes.work}&clientId=${demo.clients.boreal}`)).filter((x) => x.title.startsWith('Installation fibre'));
    assert.deepEqual(
      fibre.map((x) => [x.title, x.status, x.parentId === invoice.id]),
      [
        ['Installation fibre — 118 Cedar Street', 'completed', true],
        ['Installation fibre — 42 Larch Street', 'completed', true],
        ['Installation fibre — 9 Mountain Street', 'scheduled', false],
      ],
    );
    const view = await get(`/api/v1/tasks/${invoice.id}/invoice`);
    assert.deepEqual(groupsOf(view), [
      ['Installation fibre — 118 Cedar Street', 187450, 3], // 432.00 + 752.50 + 690.00
      ['Installation fibre — 42 Larch Street', 87243, 4], // 216.00 + 115.43 (85.5 m × 1.35 = 115.425) + 391.00 + 150.00
    ]);
    // Ontario: HST 13% of 2,746.93 = 357.10.
    assert.deepEqual(
      [view.totals.taxes.map((t: { tax: string; amountCents: number }) => [t.tax, t.amountCents]), view.totals.totalCents],
      [[['HST', 35710]], 310403],
    );
  });

  it('tells each story with its ids filled in: the invoice views, the unbilled work and the month-end command', () => {
    const text = tellStories(demo, DEMO, { base: 'http://localhost:3000/api/v1', emailDelivery: 'written to ./data/outbox' }).join('\n');
    const monthEnd = demo.rules.find((r) => r.key === 'month-end')!.id;
    assert.ok(text.includes(`curl -s $BASE/tasks/${demo.tasks.driveway.id}/invoice`), text);
    assert.ok(text.includes(`curl -s $BASE/clients/${demo.clients.tremblay}/unbilled`), text);
    assert.ok(text.includes(`curl -s $BASE/tasks/${demo.tasks['boreal-invoice'].id}/invoice`), text);
    assert.ok(text.includes(`npx chantier run-schedule ${monthEnd}`) && text.includes(`npm run chantier -- run-schedule ${monthEnd}`), text);
    assert.ok(text.includes(formatMoney(527943, 'fr')) && text.includes(formatMoney(310403, 'fr')), text);
    assert.doesNotMatch(text, /\{[a-z][a-z0-9_.-]*\}/, 'no placeholder left');
    assert.throws(
      () => tellStories(demo, { ...DEMO, stories: [{ title: 'x', lines: ['{task.nowhere.id}'] }] }, { base: '', emailDelivery: '' }),
      /unknown value \{task\.nowhere\.id\}/,
    );
  });

  it("shows Kim's technician only the fibre installations", async () => {
    const samuel = await ctx.call('POST', '/api/v1/auth/login', undefined, { email: 'samuel@martin-kim.example', password: TEST_PASSWORD });
    const cookie = `chantier_session=${String(samuel.headers['set-cookie']).match(/chantier_session=([^;]+)/)![1]}`;
    const seen = (await get('/api/v1/tasks', { cookie })).items as Task[];
    assert.deepEqual(
      seen.map((x) => x.title),
      ['Installation fibre — 118 Cedar Street', 'Installation fibre — 42 Larch Street', 'Installation fibre — 9 Mountain Street'],
    );
  });

  it("closes Kim's month by hand: the invoice is issued and emailed with its PDF, and next month's invoice collects the next completion", async () => {
    const march = await byTitle('Facture Réseau Boréal inc. — mars 2026');
    const monthEnd = demo.rules.find((r) => r.key === 'month-end')!;
    // What `chantier run-schedule <rule id>` does: the coming month-end (March 31, 17:00 in Toronto), now.
    const run = await runScheduleNow(ctx.deps, monthEnd.id, clock.now());
    assert.deepEqual([run.report.occurrenceAt, run.early, run.report.selected, run.report.succeeded], ['2026-03-31T21:00:00.000Z', true, 1, 1]);
    assert.deepEqual(
      run.report.tasks.map((t) => t.id),
      [march.id],
      "only the open invoice with content; Martin's work task is no target",
    );

    const invoices = (await get('/api/v1/invoices')).items as {
      number: string;
      task: { id: string };
      buyer: { name: string };
      totals: { totalCents: number };
    }[];
    assert.deepEqual(
      invoices.map((i) => [i.number, i.task.id, i.buyer.name, i.totals.totalCents]),
      [['F-2026-00001', march.id, 'Réseau Boréal inc.', 310403]],
    );
    assert.equal((await get(`/api/v1/tasks/${march.id}`)).status, 'closed');

    assert.equal((await createWorker(ctx.deps).runOnce()).sent, 1);
    const outbox = join(ctx.deps.config.dataDir, 'outbox');
    const files = (await readdir(outbox)).filter((f) => f.endsWith('.eml'));
    assert.equal(files.length, 1);
    const mail = await simpleParser(await readFile(join(outbox, files[0])));
    assert.equal(mail.subject, 'Facture F-2026-00001 — Réseau Boréal inc.');
    const to = Array.isArray(mail.to) ? mail.to : [mail.to!];
    assert.deepEqual(
      to.flatMap((a) => a.value.map((v) => v.address)),
      ['payables@reseau-boreal.example', 'projects@reseau-boreal.example'],
    );
    assert.match(mail.text!, /Voici la facture F-2026-00001/);
    assert.deepEqual(
      mail.attachments.map((a) => [a.filename, a.contentType]),
      [['F-2026-00001.pdf', 'application/pdf']],
    );
    const pdf = await pdfText(mail.attachments[0].content);
    assert.ok(pdf.includes('Réseau Boréal inc.') && pdf.includes(formatMoney(310403, 'fr').replace(/\u00a0/g, ' ')), pdf);

    const open = await tasksWhere(`typeId=${demo.taskTypes.invoice}&statusCategory=open`);
    assert.deepEqual(
      open.map((t) => [t.title, t.client?.id]),
      [['Facture Réseau Boréal inc. — avril 2026', demo.clients.boreal]],
    );
    const april = open[0];

    const mountain = await byTitle('Installation fibre — 9 Mountain Street');
    assert.equal((await move(mountain.id, 'completed')).parentId, april.id);
    const view = await get(`/api/v1/tasks/${april.id}/invoice`);
    // 8 × 18.00 + 60 m × 1.35 + 3 h × 92.00 = 501.00; HST 65.13.
    assert.deepEqual([groupsOf(view), view.totals.totalCents], [[['Installation fibre — 9 Mountain Street', 50100, 3]], 56613]);
    assert.equal((await get(`/api/v1/tasks/${march.id}/invoice`)).totals.totalCents, 310403, 'the closed invoice is left as issued');
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
