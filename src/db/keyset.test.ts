import assert from 'node:assert/strict';
import { CompiledQuery } from 'kysely';
import { after, before, it } from 'node:test';
import { complete, enable, ok, task, world, type World } from '../consolidation/testkit.ts';
import { upload, tinyPng } from '../task-content/testkit.ts';
import { describeEachStore, testContext, type TestContext } from '../testing/harness.ts';
import { genericPlan, planOf, recordStatements, type Seen } from '../testing/plans.ts';

// A page after a cursor starts its index range at the cursor's key (keysetAfter), so the
// 1,000th page of a task's lines costs what the first does. With the key only inside an OR,
// SQLite read the index from the task's first line on every page.
describeEachStore('pages after a cursor start at the cursor', (store) => {
  let ctx: TestContext;
  let w: World;
  let seen: Seen[];
  before(async () => {
    ctx = await testContext(store);
    w = await world(ctx);
    seen = recordStatements(ctx);
  });
  after(() => ctx.close());

  /** The plan `s` runs with as sent: SQLite's with its own values, PostgreSQL's generic plan (a prepared statement's, with no statistics). */
  const runPlan = async (s: Seen) =>
    store === 'sqlite'
      ? (await ctx.deps.db.kysely.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${s.sql}`, [...s.parameters]))).rows
          .map((r) => r.detail)
          .join('\n')
      : await genericPlan(ctx.deps.db.kysely, s.sql, s.parameters);
  /** The plan's index access (SQLite's SEARCH line, PostgreSQL's Index Cond lines): where a range would show. */
  const indexAccess = async (s: Seen, tables: string[]) =>
    // SQLite's with the statement's own values bound: planOf's NULLs let SQLite fold the OR away.
    (store === 'sqlite' ? await runPlan(s) : await planOf(ctx, store, s, tables))
      .split('\n')
      .filter((l) => /SEARCH|Index Cond/.test(l))
      .join('\n');
  /** Matches an index access that starts at `column`'s value (SQLite shows `>=` as `>`; PostgreSQL quotes some names). */
  const startsAt = (column: string) => new RegExp(`"?${column}"?\\s*>=?\\s*(\\?|\\$\\d)`);
  /** The recorded SELECTs from `table` that carry `param`, as sent. */
  const selects = (table: string, param: unknown) =>
    seen.filter((s) => new RegExp(`^\\s*select .* from "${table}"`, 'is').test(s.sql) && s.parameters.includes(param));

  it("pages a task's lines, and its invoice view, from the cursor's position", async () => {
    const t = await task(w, { title: 'Longue liste' });
    const items = Array.from({ length: 30 }, (_, i) => ({ description: `Ligne ${i}`, quantity: '1', unitPriceCents: 100 }));
    await ok(w, 'POST', `/api/v1/tasks/${t.id}/lines/bulk`, items);
    for (const url of [`/api/v1/tasks/${t.id}/lines?limit=10`, `/api/v1/tasks/${t.id}/invoice?limit=10`]) {
      const first = await ok(w, 'GET', url);
      assert.ok(first.nextCursor, url);
      seen.length = 0;
      const second = await ok(w, 'GET', `${url}&cursor=${first.nextCursor}`);
      const lines = second.items ?? second.groups.flatMap((g: { lines: unknown[] }) => g.lines);
      assert.equal(lines[0].position, 11, `${url}: the second page starts after the first`);
      const pages = selects('task_lines', t.id).filter((s) => s.parameters.includes(10));
      assert.ok(pages.length > 0, `${url}: the page's statement was seen`);
      for (const s of pages) {
        assert.match(await indexAccess(s, ['task_lines']), startsAt('position'), s.sql);
        // In the index's order, so the store reads the page and stops, whatever it believes of the
        // task's size: no sort (PostgreSQL's plan as a prepared statement keeps it, with no statistics).
        const plan = await runPlan(s);
        assert.doesNotMatch(plan, /sort|temp b-tree/i, `${s.sql}\n${plan}`);
      }
    }
  });

  it("pages a task's attachments and the clients from the cursor's key", async () => {
    const t = await task(w, { title: 'Photos' });
    for (const name of ['a.png', 'b.png', 'c.png']) assert.equal((await upload(ctx, w.org.token, t.id, name, tinyPng(), 'image/png')).status, 201);
    const files = await ok(w, 'GET', `/api/v1/tasks/${t.id}/attachments?limit=1&groupBy=source`);
    seen.length = 0;
    await ok(w, 'GET', `/api/v1/tasks/${t.id}/attachments?limit=1&groupBy=source&cursor=${files.nextCursor}`);
    const [fileStatement] = selects('attachments', t.id);
    assert.match(
      await indexAccess(fileStatement, ['attachments']),
      /attachments_source_idx \(org_id=\? AND task_id=\? AND <expr>>\?\)|coalesce\(origin_task_id, ''::text\) >= /i,
      fileStatement.sql,
    );

    for (const name of ['Alpha', 'Bravo', 'Charlie']) await ok(w, 'POST', '/api/v1/clients', { name: `${name} ${store}`, taxRegion: 'QC' });
    const clients = await ok(w, 'GET', '/api/v1/clients?limit=1');
    seen.length = 0;
    await ok(w, 'GET', `/api/v1/clients?limit=1&cursor=${clients.nextCursor}`);
    const [clientStatement] = selects('clients', w.org.orgId);
    assert.match(await indexAccess(clientStatement, ['clients']), startsAt('name'), clientStatement.sql);
  });

  it("reads an issued invoice's lines, for its PDF and its pages of lines, in the index's order", async () => {
    const client = await ok(w, 'POST', '/api/v1/clients', { name: `Émise ${store}`, taxRegion: 'QC' });
    const inv = await task(w, { typeId: w.invoiceTypeId, title: 'Facture émise', clientId: client.id });
    const items = Array.from({ length: 1_100 }, (_, i) => ({ description: `Ligne ${i}`, quantity: '1', unitPriceCents: 100 }));
    await ok(w, 'POST', `/api/v1/tasks/${inv.id}/lines/bulk`, items);
    await ok(w, 'POST', `/api/v1/tasks/${inv.id}/transitions`, { to: 'closed' });
    const invoice = (await ok(w, 'GET', `/api/v1/invoices?taskId=${inv.id}`)).items[0];
    seen.length = 0;
    const pdf = await ctx.app.inject({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/pdf`, headers: { authorization: `Bearer ${w.org.token}` } });
    assert.equal(pdf.statusCode, 200, pdf.body);
    const first = await ok(w, 'GET', `/api/v1/invoices/${invoice.id}/lines?limit=10`);
    await ok(w, 'GET', `/api/v1/invoices/${invoice.id}/lines?limit=10&cursor=${first.nextCursor}`);
    const reads = selects('invoice_lines', invoice.id);
    assert.ok(
      reads.filter((s) => /"position" >/.test(s.sql)).length >= 4,
      'pages after a position: the PDF reads 1,100 lines twice, and the second page of lines',
    );
    for (const s of reads) {
      // The rows in an index's order, no sort, the organization inside the index access: with
      // the organization a filter outside the index (the primary key is invoice and position),
      // PostgreSQL without statistics on a large table expected a row or so, read every line
      // after the cursor and sorted them, for each page (seen at 100,000 lines; not at this size).
      const plan = await runPlan(s);
      assert.doesNotMatch(plan, /sort|temp b-tree|bitmap|filter/i, `${s.sql}\n${plan}`);
      assert.match(plan, /org_id"?\s*=\s*(\?|\$\d)\)?\s+AND\s+\(?"?invoice_id"?\s*=/, `${s.sql}\n${plan}`);
      if (/"position" >/.test(s.sql)) assert.match(plan, startsAt('position'), `${s.sql}\n${plan}`);
    }
  });

  it("reads a billing task's preview a page at a time after the last row, never by OFFSET", async () => {
    const client = await ok(w, 'POST', '/api/v1/clients', { name: `Aperçu ${store}`, taxRegion: 'QC' });
    const inv = await task(w, { typeId: w.invoiceTypeId, title: 'Facture longue', clientId: client.id });
    const items = Array.from({ length: 1_100 }, (_, i) => ({ description: `Ligne ${i}`, quantity: '1', unitPriceCents: 100 }));
    await ok(w, 'POST', `/api/v1/tasks/${inv.id}/lines/bulk`, items);
    seen.length = 0;
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tasks/${inv.id}/invoice-preview.pdf`,
      headers: { authorization: `Bearer ${w.org.token}` },
    });
    assert.equal(res.statusCode, 200, res.body);
    const pages = selects('task_lines', inv.id).filter((s) => /order by/i.test(s.sql) && !/sum\(/i.test(s.sql));
    assert.ok(pages.length >= 3, `three pages of 500 own lines (and one of consolidated): ${pages.length}`);
    for (const s of pages) assert.doesNotMatch(s.sql, /\boffset\b/i);
    const later = pages.filter((s) => /"position" >/.test(s.sql));
    assert.ok(later.length >= 2, 'the pages after the first start after a position');
    for (const s of later) assert.match(await indexAccess(s, ['task_lines']), startsAt('position'), s.sql);
  });

  it("sums the rest of a group a page's edge cuts from the edge's position, one run long, not the task", async () => {
    await enable(w, w.rules.byProject);
    const main = await task(w, { title: 'Projet en pages' });
    const subtotals: number[] = [];
    // 1,200 lines, as a real project's (PostgreSQL plans a table of a few rows otherwise).
    for (let i = 0; i < 4; i++) {
      const sub = await task(w, { title: `Sous-tâche ${i}`, parentId: main.id });
      const items = Array.from({ length: 300 }, (_, j) => ({ description: `Ligne ${j}`, quantity: '1', unitPriceCents: 100 * (i + 1) + j }));
      await ok(w, 'POST', `/api/v1/tasks/${sub.id}/lines/bulk`, items);
      await complete(w, sub.id);
      subtotals.push(items.reduce((a, l) => a + l.unitPriceCents, 0));
    }
    // Pages of 200 lines: the second (lines 201-400) ends the first group and cuts the second.
    const first = await ok(w, 'GET', `/api/v1/tasks/${main.id}/invoice?limit=200`);
    seen.length = 0;
    const second = await ok(w, 'GET', `/api/v1/tasks/${main.id}/invoice?limit=200&cursor=${first.nextCursor}`);
    assert.deepEqual(
      second.groups.map((g: { subtotalCents: number }) => g.subtotalCents),
      subtotals.slice(0, 2),
    );
    // The page itself reads one line more than it shows (201); the runs read 16, 64, 256… at a time.
    const runs = selects('task_lines', main.id).filter((s) => /order by/i.test(s.sql) && !s.parameters.includes(201));
    assert.deepEqual(
      [...new Set(runs.map((s) => /order by "position" desc/.test(s.sql)))].sort(),
      [false, true],
      "the first group's run before the page, the second's after it",
    );
    for (const s of runs) {
      // Read as a page is, from the edge's position in the task's position index, in its order:
      // no sort, no bitmap of the task's other lines (PostgreSQL's generic plan, no statistics).
      assert.match(await indexAccess(s, ['task_lines']), /position"?\s*[<>]=?\s*(\?|\$\d)/, s.sql);
      const plan = await runPlan(s);
      assert.doesNotMatch(plan, /sort|temp b-tree|bitmap/i, `${s.sql}\n${plan}`);
    }
  });
});
