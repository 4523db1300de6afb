// Bulk entry beside the one-by-one path, and the whole project cycle the issue names: N
// sub-tasks created (in bulk), each with a line, each completed one by one over HTTP
// (consolidating into the main task), one invoice issued, its PDF fetched and read back,
// checked to the cent. All through HTTP from this process, as a client would.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { formatMoney } from '../src/invoicing/format.ts';
import { poppler } from '../src/invoicing/pdf/test-pdf-tools.ts';
import { divRoundHalfUp } from '../src/shared/money.ts';
import type { JobScenario } from './job-scenarios.ts';
import { knobs } from './knobs.ts';
import type { BenchContext } from './scenarios.ts';
import { inParallel, num } from './util.ts';

const MAX_PER_REQUEST = 20_000;

async function send(ctx: BenchContext, method: string, path: string, body: string | undefined, type = 'application/json') {
  const res = await fetch(ctx.baseUrl + path, {
    method,
    headers: { authorization: `Bearer ${ctx.token}`, ...(body === undefined ? {} : { 'content-type': type }) },
    body,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

const timed = async <T>(fn: () => Promise<T>): Promise<{ value: T; s: number }> => {
  const t0 = performance.now();
  const value = await fn();
  return { value, s: (performance.now() - t0) / 1000 };
};

const priceOf = (i: number) => 1_000 + (i % 997) * 13; // cents: varied, so a lost or doubled line shows in the total
const lineOf = (i: number) => ({ description: `Ligne ${i + 1}`, quantity: '1', unit: 'u', unitPriceCents: priceOf(i) });

export const bulkEntry: JobScenario = {
  name: 'bulk entry',
  head: ['path', 'items', 'requests', 's', 'items/s', 'vs one by one'],
  async run(ctx) {
    const n = knobs.bulkN;
    const m = Math.min(n, knobs.bulkOneByOne);
    const problems: string[] = [];
    const work = ctx.typeIds.work;
    const newMain = async (title: string) => (await ctx.api('POST', '/api/v1/tasks', { typeId: work, title })).id as string;
    const expectUnder = async (parentId: string, tasks: number, lines: number, what: string) => {
      const got = await ctx.job('count-under', { orgId: ctx.orgId, parentId });
      if (got.tasks !== tasks || got.lines !== lines) problems.push(`${what}: ${got.tasks} tasks and ${got.lines} lines, expected ${tasks} and ${lines}`);
    };
    const item = (parentId: string, i: number) => ({ typeId: work, parentId, title: `Sous-tâche ${i + 1}`, lines: [lineOf(i)] });

    const oneMain = await newMain('One by one');
    const one = await timed(() =>
      inParallel(
        Array.from({ length: m }, (_, i) => i),
        knobs.connections,
        async (i) => {
          const t = await ctx.api('POST', '/api/v1/tasks', { typeId: work, parentId: oneMain, title: `Sous-tâche ${i + 1}` });
          await ctx.api('POST', `/api/v1/tasks/${t.id}/lines`, lineOf(i));
        },
      ),
    );
    await expectUnder(oneMain, m, m, 'one by one');
    const oneRate = m / one.s;

    const jsonMain = await newMain('Bulk JSON');
    const json = await timed(() => send(ctx, 'POST', '/api/v1/tasks/bulk', JSON.stringify(Array.from({ length: n }, (_, i) => item(jsonMain, i)))));
    await expectUnder(jsonMain, n, n, 'bulk JSON');
    const ndMain = await newMain('Bulk NDJSON');
    const nd = await timed(() =>
      send(ctx, 'POST', '/api/v1/tasks/bulk', Array.from({ length: n }, (_, i) => JSON.stringify(item(ndMain, i))).join('\n'), 'application/x-ndjson'),
    );
    await expectUnder(ndMain, n, n, 'bulk NDJSON');

    const linesTask = await newMain('Lines one by one');
    const oneLines = await timed(() =>
      inParallel(
        Array.from({ length: m }, (_, i) => i),
        knobs.connections,
        (i) => ctx.api('POST', `/api/v1/tasks/${linesTask}/lines`, lineOf(i)),
      ),
    );
    const bulkLinesTask = await newMain('Lines in bulk');
    const bulkLines = await timed(() =>
      send(ctx, 'POST', `/api/v1/tasks/${bulkLinesTask}/lines/bulk`, JSON.stringify(Array.from({ length: n }, (_, i) => lineOf(i)))),
    );
    if (bulkLines.value.count !== n) problems.push(`bulk lines: ${bulkLines.value.count} added, expected ${n}`);

    const csvMain = await newMain('CSV import');
    const csv = [
      'subtask;description;quantity;unit;unit_price',
      ...Array.from({ length: n }, (_, i) => `Sous-tâche ${i + 1};Ligne ${i + 1};1;u;${(priceOf(i) / 100).toFixed(2)}`),
    ].join('\n');
    const imported = await timed(() => send(ctx, 'POST', `/api/v1/tasks/${csvMain}/import`, csv, 'text/csv'));
    await expectUnder(csvMain, n, n, 'CSV import');

    const rows = [
      ['tasks with a line, one by one (POST /tasks + POST /lines)', num(m), num(2 * m), num(one.s, 2), num(oneRate), '1.00×'],
      ['tasks with a line, POST /tasks/bulk (JSON)', num(n), '1', num(json.s, 2), num(n / json.s), `${(n / json.s / oneRate).toFixed(1)}×`],
      ['tasks with a line, POST /tasks/bulk (NDJSON)', num(n), '1', num(nd.s, 2), num(n / nd.s), `${(n / nd.s / oneRate).toFixed(1)}×`],
      [
        'tasks with a line, CSV import (POST /tasks/{id}/import)',
        num(n),
        '1',
        num(imported.s, 2),
        num(n / imported.s),
        `${(n / imported.s / oneRate).toFixed(1)}×`,
      ],
      ['lines on one task, one by one', num(m), num(m), num(oneLines.s, 2), num(m / oneLines.s), '1.00×'],
      [
        'lines on one task, POST /tasks/{id}/lines/bulk',
        num(n),
        '1',
        num(bulkLines.s, 2),
        num(n / bulkLines.s),
        `${(n / bulkLines.s / (m / oneLines.s)).toFixed(1)}×`,
      ],
    ];
    return { rows, problems };
  },
};

export const projectCycle: JobScenario = {
  name: 'project cycle',
  head: ['phase', 'items', 's', 'per s', 'server CPU s', 'note'],
  async run(ctx) {
    const n = knobs.cycleN;
    const problems: string[] = [];
    const notes: string[] = [];
    const rows: string[][] = [];
    const usage = () => ctx.job('server-usage', {});
    const phase = async <T>(name: string, items: number, fn: () => Promise<T>, note = '') => {
      const before = await usage();
      const r = await timed(fn);
      const after = await usage();
      rows.push([
        name,
        num(items),
        num(r.s, 1),
        items ? num(items / r.s) : '—',
        num((after.cpuMs - before.cpuMs) / 1000, 1),
        typeof note === 'string' ? note : '',
      ]);
      console.log(`  ${name}: ${r.s.toFixed(1)} s`);
      return r;
    };
    // "Consolidate by project" gathers under a work task; here the main task is the invoice
    // itself (closing it issues the invoice), so the same rule is made for an invoice parent.
    await ctx.api('POST', '/api/v1/automations', {
      name: 'Consolidate into the project invoice',
      enabled: true,
      trigger: { type: 'status_entered', category: 'done' },
      conditions: { hasParent: true, parentTypeIds: [ctx.typeIds.invoice] },
      actions: [{ id: 'consolidate', type: 'consolidate', target: 'parent', completeTargetWhenDone: false }],
    });
    const client = await ctx.api('POST', '/api/v1/clients', { name: `Projet ${n} sous-tâches`, billingEmails: ['compta@client.example'] });
    const main = await ctx.api('POST', '/api/v1/tasks', { typeId: ctx.typeIds.invoice, title: `Projet — ${num(n)} sous-tâches`, clientId: client.id });
    const start = performance.now();

    const created = await phase('create sub-tasks with a line (POST /tasks/bulk)', n, async () => {
      const ids: string[] = [];
      for (let from = 0; from < n; from += MAX_PER_REQUEST) {
        const items = Array.from({ length: Math.min(MAX_PER_REQUEST, n - from) }, (_, k) => ({
          typeId: ctx.typeIds.work,
          parentId: main.id,
          title: `Sous-tâche ${from + k + 1}`,
          lines: [lineOf(from + k)],
        }));
        const r = await send(ctx, 'POST', '/api/v1/tasks/bulk', items.map((x) => JSON.stringify(x)).join('\n'), 'application/x-ndjson');
        ids.push(...r.tasks.map((t: { id: string }) => t.id));
      }
      return ids;
    });
    const ids = created.value;
    // The rate of each tenth of the completions: flat when a completion's cost does not grow with its completed siblings.
    const tenths: number[] = [];
    await phase(`complete each sub-task over HTTP (${knobs.connections} in flight), consolidating`, n, async () => {
      const tenth = Math.max(1, Math.ceil(n / 10));
      for (let from = 0; from < n; from += tenth) {
        const slice = ids.slice(from, from + tenth);
        const t = await timed(() => inParallel(slice, knobs.connections, (id) => ctx.api('POST', `/api/v1/tasks/${id}/transitions`, { to: 'completed' })));
        tenths.push(slice.length / t.s);
      }
    });
    notes.push(`project cycle of ${num(n)}: completions per second by tenth of the run: ${tenths.map((x) => num(x)).join(', ')}`);
    await phase('issue the invoice (close the main task)', 1, () => ctx.api('POST', `/api/v1/tasks/${main.id}/transitions`, { to: 'closed' }));
    const invoice = (await ctx.api('GET', `/api/v1/invoices?taskId=${main.id}`)).items[0];
    const cycleS = (performance.now() - start) / 1000;
    // Not part of the cycle's time: every page of the main task's lines by cursor (a page late in the
    // list should cost what the first does), and the invoice's preview (it reads the task's lines the same way).
    const pageMs: number[] = [];
    await phase('page through its lines (GET /tasks/{main}/lines?limit=200, every page)', n, async () => {
      let cursor: string | null = null;
      do {
        const t0 = performance.now();
        const page: { nextCursor: string | null } = await ctx.api('GET', `/api/v1/tasks/${main.id}/lines?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
        pageMs.push(performance.now() - t0);
        cursor = page.nextCursor;
      } while (cursor);
    });
    const tenthOf = (k: number) => pageMs.slice(Math.floor((k * pageMs.length) / 10), Math.floor(((k + 1) * pageMs.length) / 10));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    rows[rows.length - 1][5] = `${num(pageMs.length)} pages; ms each, first tenth ${num(mean(tenthOf(0)), 1)}, last tenth ${num(mean(tenthOf(9)), 1)}`;
    await phase('preview its invoice PDF (GET /tasks/{main}/invoice-preview.pdf)', n, async () => {
      const res = await fetch(`${ctx.baseUrl}/api/v1/tasks/${main.id}/invoice-preview.pdf`, { headers: { authorization: `Bearer ${ctx.token}` } });
      if (!res.ok) throw new Error(`GET preview: ${res.status}`);
      await res.arrayBuffer();
    });

    const expected = Array.from({ length: n }, (_, i) => priceOf(i)).reduce((a, b) => a + b, 0);
    const t = invoice?.totals;
    if (!t) problems.push('no invoice was issued');
    else {
      if (invoice.lineCount !== n) problems.push(`the invoice has ${invoice.lineCount} lines, expected ${n}`);
      if (t.subtotalCents !== expected) problems.push(`subtotal ${t.subtotalCents} cents, expected ${expected}`);
      for (const tax of t.taxes as { tax: string; ratePercent: string; amountCents: number }[]) {
        const [whole, frac = ''] = tax.ratePercent.split('.');
        const scale = 10n ** BigInt(frac.length + 2);
        const want = Number(divRoundHalfUp(BigInt(t.taxableSubtotalCents) * BigInt(whole + frac), scale));
        if (tax.amountCents !== want) problems.push(`${tax.tax} ${tax.amountCents} cents, expected ${want}`);
      }
      const sum = t.subtotalCents + t.taxes.reduce((a: number, x: { amountCents: number }) => a + x.amountCents, 0);
      if (t.totalCents !== sum) problems.push(`total ${t.totalCents} cents, expected ${sum}`);
    }

    if (invoice) {
      const dir = await mkdtemp(join(tmpdir(), 'chantier-cycle-'));
      const file = join(dir, 'invoice.pdf');
      try {
        let peakRss = 0;
        let polling = true;
        const before = await usage();
        const poll = (async () => {
          while (polling) {
            // A failed sample must not end the run (an unhandled rejection would): it is only a sample.
            peakRss = Math.max(peakRss, (await usage().catch(() => ({ rssMiB: 0 }))).rssMiB);
            await new Promise((r) => setTimeout(r, 250));
          }
        })();
        await phase(
          'fetch the invoice PDF (GET /invoices/{id}/pdf)',
          n,
          async () => {
            const res = await fetch(`${ctx.baseUrl}/api/v1/invoices/${invoice.id}/pdf`, { headers: { authorization: `Bearer ${ctx.token}` } });
            if (!res.ok || !res.body) throw new Error(`GET pdf: ${res.status}`);
            await pipeline(Readable.fromWeb(res.body as never), createWriteStream(file));
          },
          '',
        );
        polling = false;
        await poll;
        const size = (await stat(file)).size;
        const pages = Number(/^Pages:\s+(\d+)/m.exec(await poppler('pdfinfo', [file]))?.[1]);
        rows[rows.length - 1][5] =
          `${num(pages)} pages, ${num(size / 1024 / 1024, 1)} MiB; server RSS ${num(before.rssMiB)} MiB before, ${num(peakRss)} MiB at most during`;
        const last = (await poppler('pdftotext', ['-layout', '-enc', 'UTF-8', '-f', String(Math.max(1, pages - 2)), file, '-'])).replace(
          /[\u00a0\u202f]/g,
          ' ',
        );
        const money = (c: number) => formatMoney(c, invoice.language, invoice.currency).replace(/[\u00a0\u202f]/g, ' ');
        for (const [what, cents] of [
          ['subtotal', t.subtotalCents],
          ['total', t.totalCents],
          ...t.taxes.map((x: { tax: string; amountCents: number }) => [x.tax, x.amountCents]),
        ] as [string, number][]) {
          if (!last.includes(money(cents))) problems.push(`the PDF's last pages do not show the ${what} ${money(cents)}`);
        }
        if (!last.includes(`Ligne ${n}`)) problems.push(`the PDF's last pages do not show the last line (Ligne ${n})`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    rows.push([
      'the cycle: create → complete all → issue',
      num(n),
      num(cycleS, 1),
      num(n / cycleS),
      '',
      `goal < 90 s (SQLite), < 300 s (PostgreSQL) at 100,000`,
    ]);
    return { rows, problems, notes };
  },
};
