import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parseCsv } from '../shared/csv.ts';
import { newTask } from '../task-content/testkit.ts';
import { describeEachStore, testContext, type Org, type TestContext } from '../testing/harness.ts';

const FIXTURE = readFileSync(new URL('../../docs/examples/work-breakdown.csv', import.meta.url), 'utf8');

describe('parseCsv', () => {
  it('reads quoted fields with separators, quotes and line breaks, CRLF, a BOM, and guesses the separator', () => {
    const { separator, records } = parseCsv('\uFEFFa,b,c\r\n"x, y","say ""hi""","two\nlines"\r\n\r\n1,,3\n');
    assert.equal(separator, ',');
    assert.deepEqual(records, [
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['x, y', 'say "hi"', 'two\nlines'] },
      { line: 5, cells: ['1', '', '3'] },
    ]);
    assert.equal(parseCsv('a;b;c,d\n1;2;3').separator, ';');
    assert.throws(() => parseCsv('a,b\n"open,1'), /never closed/);
  });
});

describeEachStore('importWorkBreakdown (POST /tasks/{id}/import)', (store) => {
  let ctx: TestContext;
  let org: Org;

  before(async () => {
    ctx = await testContext(store);
    org = await ctx.signup();
  });
  after(() => ctx.close());

  const importCsv = (taskId: string, csv: string | undefined, token = org.token) =>
    ctx.call('POST', `/api/v1/tasks/${taskId}/import`, token, csv, csv === undefined ? {} : { 'content-type': 'text/csv; charset=utf-8' });
  const taskCount = async () =>
    Number(
      (
        await ctx.deps.db.kysely
          .selectFrom('tasks')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('org_id', '=', org.orgId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('imports the example work breakdown: one sub-task per title, its lines exact to the cent', async () => {
    const main = await newTask(ctx, org, { title: 'Agrandissement' });
    const r = await importCsv(main.id, FIXTURE);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.count, 2);
    assert.equal(r.body.lineCount, 5);
    const subs = (await ctx.call('GET', `/api/v1/tasks?parentId=${main.id}`, org.token)).body.items;
    assert.deepEqual(subs.map((s: any) => s.title).sort(), ['Excavation', 'Fondations']);
    const lines = async (id: string) =>
      (await ctx.call('GET', `/api/v1/tasks/${id}/lines`, org.token)).body.items.map((l: any) => [
        l.description,
        l.quantity,
        l.unit,
        l.unitPriceCents,
        l.amountCents,
        l.taxTreatment,
        l.productCode,
      ]);
    assert.deepEqual(await lines(r.body.tasks[0].id), [
      ['Pelle mécanique 20 t', '8', 'h', 14500, 116000, 'taxable', 'EXC-01'],
      ['Transport de la pelle; aller-retour', '1', null, 35000, 35000, 'taxable', null],
      ['Disposition des sols', '12.5', 't', 1875, 23438, 'taxable', 'SOL-02'],
    ]);
    assert.deepEqual(await lines(r.body.tasks[1].id), [
      ['Béton 30 MPa, livré', '14.25', 'm³', 21240, 302670, 'taxable', 'BET-30'],
      ['Permis municipal', '1', null, 12000, 12000, 'exempt', null],
    ]);
  });

  it('takes a comma-separated file with columns in any order and extra columns ignored', async () => {
    const main = await newTask(ctx, org);
    const r = await importCsv(main.id, 'Unit Price,Notes,Quantity,Description,Subtask\n1234.5,ignored,2,Labour,A\n0.99,,3,Parts,B\n');
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual(
      r.body.tasks.map((t: any) => t.lineCount),
      [1, 1],
    );
    const l = (await ctx.call('GET', `/api/v1/tasks/${r.body.tasks[0].id}/lines`, org.token)).body.items[0];
    assert.equal(l.unitPriceCents, 123450);
  });

  it('names the CSV line and column of a bad row, and writes nothing', async () => {
    const main = await newTask(ctx, org);
    const before = await taskCount();
    const head = 'subtask,description,quantity,unit_price\nA,Labour,1,10.00\n';
    const cases: [string, string, number, string][] = [
      [`${head}A,Labour,-1,10.00\n`, 'invalid_quantity', 3, 'quantity'],
      [`${head}\nB,Labour,1,10.001\n`, 'invalid_unit_price', 4, 'unit_price'],
      [`${head}B,Labour,1,$10\n`, 'invalid_unit_price', 3, 'unit_price'],
      [`${head}B,,1,10\n`, 'csv_invalid', 3, 'description'],
      [`${head}"B\nsplit",Labour,1,1\nC,Labour,x,1\n`, 'invalid_quantity', 5, 'quantity'],
      [`${head}B,Labour,1,1,\nC,Labour,1,1\n`.replace('unit_price', 'unit_price,tax').replace(',1,1,\n', ',1,1,zero\n'), 'csv_invalid', 3, 'tax'],
    ];
    for (const [csv, code, line, field] of cases) {
      const r = await importCsv(main.id, csv);
      assert.equal(r.status, 400, `${code}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.code, code, JSON.stringify(r.body));
      assert.equal(r.body.error.details.line, line, JSON.stringify(r.body));
      assert.equal(r.body.error.details.field, field);
      assert.match(r.body.error.message, new RegExp(`^line ${line}`));
    }
    const missing = await importCsv(main.id, 'subtask,description\nA,B\n');
    assert.equal(missing.body.error.code, 'csv_missing_columns');
    assert.deepEqual(missing.body.error.details.missing, ['quantity', 'unit_price']);
    assert.equal((await importCsv(main.id, 'subtask,description,quantity,unit_price\n')).body.error.code, 'csv_empty');
    assert.equal((await importCsv(main.id, undefined)).body.error.code, 'csv_empty');
    assert.equal(await taskCount(), before);
  });

  it('answers 404 for another organization’s main task and 403 to a technician', async () => {
    const main = await newTask(ctx, org);
    const other = await ctx.signup();
    assert.equal((await importCsv(main.id, FIXTURE, other.token)).status, 404);
    const tech = await ctx.addUser(org, 'technician');
    assert.equal((await importCsv(main.id, FIXTURE, tech.token)).status, 403);
  });
});
