import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { line, ok, task, world, type World } from '../../consolidation/testkit.ts';
import { openDatabase } from '../../db/index.ts';
import type { Deps } from '../../deps.ts';
import { describeEachStore, fixedClock, testContext, type TestContext } from '../../testing/harness.ts';
import { templates } from '../../mail/testkit.ts';
import { runDueSchedules } from './index.ts';
import { claimOccurrence } from './occurrence-store.ts';

/** Kim's month-end: the last day of the month at 17:00 in Toronto, every open invoice with content is closed. */
describeEachStore('scheduled rules: the month-end', (store) => {
  const clock = fixedClock('2026-03-02T15:00:00Z');
  const setClock = (iso: string) => clock.advance(Date.parse(iso) - clock.now().getTime());
  let ctx: TestContext;
  before(async () => {
    ctx = await testContext(store, { clock });
  });
  after(() => ctx.close());

  const monthEnd = (w: World, extra: Record<string, unknown> = {}) => ({
    name: 'Month-end close',
    enabled: true,
    trigger: {
      type: 'schedule',
      schedule: { kind: 'monthly', day: 'last', time: '17:00' },
      target: { taskTypeIds: [w.invoiceTypeId], statusCategory: 'open', hasContent: true },
    },
    actions: [{ type: 'transition_task', to: 'closed' }],
    ...extra,
  });
  const nextInvoice = (w: World) => ({
    name: 'Next month',
    enabled: true,
    trigger: { type: 'status_entered', status: 'closed', taskTypeIds: [w.invoiceTypeId] },
    actions: [
      { type: 'send_email', to: { clientBilling: true }, templates },
      { type: 'create_task', typeId: w.invoiceTypeId, title: 'Facture {client.name} — {period.next.month_name} {period.next.year}' },
    ],
  });
  const client = async (w: World, name: string, language = 'fr') =>
    (await ok(w, 'POST', '/api/v1/clients', { name, language, taxRegion: 'QC', billingEmails: ['compta@client.example'] })).id as string;
  const invoiceTask = async (w: World, clientId: string, title: string, lines = 1) => {
    const t = await task(w, { typeId: w.invoiceTypeId, title, clientId });
    for (let i = 0; i < lines; i++) await line(w, t.id, `Ligne ${i + 1}`, '1', 10000);
    return t;
  };
  const status = async (w: World, id: string) => (await ok(w, 'GET', `/api/v1/tasks/${id}`)).status;
  const due = async (w: World, deps: Deps = ctx.deps) => (await runDueSchedules(deps, clock.now())).filter((r) => r.orgId === w.org.orgId);
  const occurrences = (ruleId: string) =>
    ctx.deps.db.kysely.selectFrom('schedule_occurrences').selectAll().where('rule_id', '=', ruleId).orderBy('occurrence_at').execute();
  const runsOf = async (w: World, ruleId: string) => (await ok(w, 'GET', `/api/v1/automation-runs?ruleId=${ruleId}&limit=100`)).items;

  it('closes every open invoice task that has content at 17:00 Toronto time on the last day, not the empty ones, and the closings fire the other rules', async () => {
    setClock('2026-03-02T15:00:00Z');
    const w = await world(ctx);
    const boreal = await client(w, 'Réseau Boréal');
    const acme = await client(w, 'Acme Paving', 'en');
    const full = await invoiceTask(w, boreal, 'Facture mars', 2);
    const fullEn = await invoiceTask(w, acme, 'March invoice');
    const empty = await invoiceTask(w, acme, 'Empty invoice', 0);
    const work = await task(w, { title: 'Travail', clientId: boreal });
    await line(w, work.id, 'Heures', '2', 9000);
    const rule = await ok(w, 'POST', '/api/v1/automations', monthEnd(w));
    const chained = await ok(w, 'POST', '/api/v1/automations', nextInvoice(w));

    assert.deepEqual(await due(w), [], 'February 28 came before the rule existed');
    setClock('2026-03-31T20:59:59Z'); // 16:59:59 EDT
    assert.deepEqual(await due(w), []);
    setClock('2026-03-31T21:00:20Z');
    const [report, ...others] = await due(w);
    assert.equal(others.length, 0);
    assert.deepEqual([report.occurrenceAt, report.selected, report.succeeded, report.failed, report.skipped], ['2026-03-31T21:00:00.000Z', 2, 2, 0, 0]);
    assert.deepEqual(report.tasks.map((t) => t.id).sort(), [full.id, fullEn.id].sort());
    assert.deepEqual(
      [await status(w, full.id), await status(w, fullEn.id), await status(w, empty.id), await status(w, work.id)],
      ['closed', 'closed', 'open', 'todo'],
    );

    const runs = await runsOf(w, rule.id);
    assert.equal(runs.length, 2);
    assert.ok(
      runs.every(
        (r: { outcome: string; trigger: { occurrenceAt: string } }) => r.outcome === 'succeeded' && r.trigger.occurrenceAt === '2026-03-31T21:00:00.000Z',
      ),
    );
    // Each closing issued its invoice, queued its email and created next month's invoice task.
    const issued = await ctx.deps.db.kysely.selectFrom('invoices').select(['task_id', 'issue_date']).where('org_id', '=', w.org.orgId).execute();
    assert.deepEqual(issued.map((i) => i.task_id).sort(), [full.id, fullEn.id].sort());
    assert.ok(
      issued.every((i) => i.issue_date === '2026-03-31'),
      'issued on the local day',
    );
    const emails = await ctx.deps.db.kysely.selectFrom('outbox').select('task_id').where('org_id', '=', w.org.orgId).where('kind', '=', 'email').execute();
    assert.deepEqual(emails.map((e) => e.task_id).sort(), [full.id, fullEn.id].sort());
    const created = (await runsOf(w, chained.id)).map((r: { actions: { detail: { title: string } }[] }) => r.actions[1].detail.title).sort();
    assert.deepEqual(created, ['Facture Acme Paving — April 2026', 'Facture Réseau Boréal — avril 2026']);
    const [occ] = await occurrences(rule.id);
    assert.deepEqual([occ.state, occ.manual, JSON.parse(occ.summary!)], ['done', 0, { selected: 2, succeeded: 2, failed: 0, skipped: 0 }]);

    setClock('2026-03-31T21:00:50Z');
    assert.deepEqual(await due(w), [], 'an occurrence runs once');
    assert.equal((await occurrences(rule.id)).length, 1);
  });

  it('goes on with the other tasks when one fails, rolling that one back and logging the failure', async () => {
    setClock('2026-04-10T15:00:00Z');
    const w = await world(ctx);
    const good = await client(w, 'Bon client');
    const bad = await client(w, 'Client refusé');
    const first = await invoiceTask(w, good, 'Avril A');
    const refused = await invoiceTask(w, bad, 'Avril B');
    const last = await invoiceTask(w, good, 'Avril C');
    const rule = await ok(w, 'POST', '/api/v1/automations', monthEnd(w));
    await ok(w, 'POST', '/api/v1/automations', {
      name: 'Refuse this client',
      enabled: true,
      trigger: { type: 'status_entered', status: 'closed' },
      conditions: { clientIds: [bad] },
      actions: [{ type: 'transition_task', to: 'nowhere' }],
    });
    setClock('2026-04-30T21:01:00Z');
    const [report] = await due(w);
    assert.deepEqual([report.selected, report.succeeded, report.failed], [3, 2, 1]);
    assert.equal(report.tasks.find((t) => t.outcome === 'failed')?.id, refused.id);
    assert.deepEqual([await status(w, first.id), await status(w, refused.id), await status(w, last.id)], ['closed', 'open', 'closed']);
    const failed = (await runsOf(w, rule.id)).filter((r: { outcome: string }) => r.outcome === 'failed');
    assert.equal(failed.length, 1);
    assert.equal(failed[0].taskId, refused.id);
    assert.match(failed[0].error, /cannot go from "closed" to "nowhere"/);
    assert.equal((await ok(w, 'GET', `/api/v1/tasks/${refused.id}/history`)).items.length, 1, 'nothing of the failed task is kept');
  });

  it('after downtime spanning three occurrences runs only the latest, once, and records the older ones as skipped', async () => {
    setClock('2026-05-10T15:00:00Z');
    const w = await world(ctx);
    const c = await client(w, 'Boréal');
    const inv = await invoiceTask(w, c, 'Mai');
    const rule = await ok(w, 'POST', '/api/v1/automations', monthEnd(w));
    setClock('2026-08-03T12:00:00Z'); // down since May 10: May 31, June 30 and July 31 passed
    const reports = await due(w);
    assert.equal(reports.length, 1);
    assert.equal(reports[0].occurrenceAt, '2026-07-31T21:00:00.000Z');
    assert.equal(await status(w, inv.id), 'closed');
    assert.equal((await ok(w, 'GET', `/api/v1/tasks/${inv.id}/history`)).items.length, 2);
    assert.deepEqual(
      (await occurrences(rule.id)).map((o) => [o.occurrence_at, o.state]),
      [
        ['2026-05-31T21:00:00.000Z', 'skipped'],
        ['2026-06-30T21:00:00.000Z', 'skipped'],
        ['2026-07-31T21:00:00.000Z', 'done'],
      ],
    );
    const listed = await ok(w, 'GET', `/api/v1/automations/${rule.id}/occurrences?limit=2`);
    assert.deepEqual(
      listed.items.map((o: { state: string }) => o.state),
      ['done', 'skipped'],
    );
    assert.deepEqual(listed.items[0].summary, { selected: 1, succeeded: 1, failed: 0, skipped: 0 });
    const rest = await ok(w, 'GET', `/api/v1/automations/${rule.id}/occurrences?limit=2&cursor=${listed.nextCursor}`);
    assert.deepEqual(
      rest.items.map((o: { occurrenceAt: string }) => o.occurrenceAt),
      ['2026-05-31T21:00:00.000Z'],
    );
    const stranger = await world(ctx);
    assert.equal((await ctx.call('GET', `/api/v1/automations/${rule.id}/occurrences`, stranger.org.token)).status, 404);
    clock.advance(60_000);
    assert.deepEqual(await due(w), []);
    assert.equal((await runsOf(w, rule.id)).length, 1);
  });

  it('dates the invoice of a late-running December close on December 31 and numbers it in that year', async () => {
    setClock('2026-12-10T15:00:00Z');
    const w = await world(ctx);
    const c = await client(w, 'Boréal');
    const december = await invoiceTask(w, c, 'Décembre');
    await ok(w, 'POST', '/api/v1/automations', monthEnd(w));
    setClock('2027-01-01T06:30:00Z'); // 01:30 on January 1 in Toronto: the server was down at 17:00 on December 31
    const [report] = await due(w);
    assert.equal(report.occurrenceAt, '2026-12-31T22:00:00.000Z');
    assert.equal(report.succeeded, 1);
    const [late] = (await ok(w, 'GET', `/api/v1/invoices?taskId=${december.id}`)).items;
    assert.deepEqual([late.number, late.issueDate, late.dueDate], ['F-2026-00001', '2026-12-31', '2027-01-30']);
    // A person's close, the same night, is dated today: January, the new year's first number.
    const january = await invoiceTask(w, c, 'Janvier');
    assert.equal((await ctx.call('POST', `/api/v1/tasks/${january.id}/transitions`, w.org.token, { to: 'closed' })).status, 200);
    const [now] = (await ok(w, 'GET', `/api/v1/invoices?taskId=${january.id}`)).items;
    assert.deepEqual([now.number, now.issueDate], ['F-2027-00001', '2027-01-01']);
  });

  it('runs an occurrence once when two schedulers (two connection pools on PostgreSQL) check at the same moment', async () => {
    setClock('2026-09-02T15:00:00Z');
    const w = await world(ctx);
    const c = await client(w, 'Boréal');
    const invoices = [];
    for (let i = 0; i < 4; i++) invoices.push(await invoiceTask(w, c, `Septembre ${i}`));
    const rule = await ok(w, 'POST', '/api/v1/automations', monthEnd(w));
    const other = store === 'postgres' ? openDatabase({ url: process.env.TEST_DATABASE_URL!, schema: ctx.deps.db.schema, poolSize: 4 }) : ctx.deps.db;
    const depsB: Deps = { ...ctx.deps, db: other };
    setClock('2026-09-30T21:00:05Z');
    try {
      for (let round = 0; round < 3; round++) {
        const [a, b] = await Promise.all([
          runDueSchedules(ctx.deps, clock.now(), { schedulerId: 'a' }),
          runDueSchedules(depsB, clock.now(), { schedulerId: 'b' }),
        ]);
        const mine = [...a, ...b].filter((r) => r.ruleId === rule.id);
        assert.equal(mine.length, round === 0 ? 1 : 0, `round ${round}`);
      }
      // The claim itself, raced from both pools: exactly one insert wins.
      const at = new Date('2030-01-31T22:00:00Z');
      const claims = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          claimOccurrence(i % 2 ? other : ctx.deps.db, { orgId: w.org.orgId, ruleId: rule.id, at, by: `p${i}`, now: clock.now(), manual: false }),
        ),
      );
      assert.equal(claims.filter((id) => id !== null).length, 1);
    } finally {
      if (other !== ctx.deps.db) await other.close();
    }
    const occ = (await occurrences(rule.id)).filter((o) => o.occurrence_at < '2030');
    assert.equal(occ.length, 1);
    assert.ok(['a', 'b'].includes(occ[0].claimed_by!));
    for (const inv of invoices) {
      assert.equal(await status(w, inv.id), 'closed');
      assert.equal((await ok(w, 'GET', `/api/v1/tasks/${inv.id}/history`)).items.length, 2, 'closed once');
    }
    assert.equal((await runsOf(w, rule.id)).length, 4);
  });

  it('never replays the past when a rule is enabled, and a disabled rule does not run', async () => {
    setClock('2026-10-05T15:00:00Z');
    const w = await world(ctx);
    const c = await client(w, 'Boréal');
    const inv = await invoiceTask(w, c, 'Octobre');
    const rule = await ok(w, 'POST', '/api/v1/automations', monthEnd(w, { enabled: false }));
    setClock('2026-10-31T21:00:00Z');
    assert.deepEqual(await due(w), []);
    setClock('2026-11-02T15:00:00Z');
    await ok(w, 'POST', `/api/v1/automations/${rule.id}/enable`);
    assert.deepEqual(await due(w), [], 'October 31 passed while the rule was off');
    assert.equal(await status(w, inv.id), 'open');
    assert.deepEqual(await occurrences(rule.id), []);
  });
});
