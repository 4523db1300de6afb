// Scenarios timed inside the server process (bench/jobs/) rather than through HTTP load: the
// completion verb in process, the cost of the n-th consolidation, and the month-end. Each
// returns the rows of its own table and the problems its checks found.
import { knobs } from './knobs.ts';
import type { BenchContext } from './scenarios.ts';
import { SUBTASK_FILES, SUBTASK_LINES } from './scenarios.ts';
import type { SmtpSink } from './smtp-sink.ts';
import { median, num, quantile } from './util.ts';
import { clientEmail } from './jobs/month-end.ts';

export interface JobScenario {
  name: string;
  head: string[];
  /** Rows of the table (without the store column), and problems found; any problem fails the bench. */
  run(ctx: BenchContext, env: { sink: SmtpSink }): Promise<{ rows: string[][]; problems: string[]; notes?: string[] }>;
}

const perSecond = (n: number, ms: number) => (n * 1000) / ms;
const ratio = (x: number) => `${x.toFixed(2)}×`;

const inProcess: JobScenario = {
  name: 'consolidation in process',
  head: ['loop (transitionTask in the server process)', 'concurrency', 'n', 'per s', 'ms each (wall/n)', 'CPU ms each', 'vs plain'],
  async run(ctx) {
    const n = knobs.inProcess;
    const problems: string[] = [];
    const rows: string[][] = [];
    const loop = async (steps: [string, string][], concurrency: number) => {
      const r = await ctx.job('transition-loop', { orgId: ctx.orgId, userId: ctx.userId, steps, concurrency });
      if (r.failed) problems.push(`${r.failed} of ${r.n} transitions failed in process: ${r.errors.join('; ')}`);
      return r as { n: number; ms: number; cpuMs: number };
    };
    // Plain transitions with no rule enabled, as in the HTTP scenario.
    await ctx.api('POST', `/api/v1/automations/${ctx.ruleIds.consolidate_by_project}/disable`);
    const { ids } = await ctx.job('prepare-plain-tasks', { orgId: ctx.orgId, userId: ctx.userId, count: n });
    const plain = [
      await loop(
        ids.map((id: string) => [id, 'scheduled']),
        1,
      ),
      await loop(
        ids.map((id: string) => [id, 'in_progress']),
        knobs.connections,
      ),
    ];
    await ctx.api('POST', `/api/v1/automations/${ctx.ruleIds.consolidate_by_project}/enable`);
    const prepared = await ctx.job('prepare-subtasks', {
      orgId: ctx.orgId,
      userId: ctx.userId,
      mains: knobs.mains,
      count: 2 * n,
      lines: SUBTASK_LINES,
      files: SUBTASK_FILES,
    });
    const subs: string[] = prepared.subIds;
    const done = [
      await loop(
        subs.slice(0, n).map((id) => [id, 'completed']),
        1,
      ),
      await loop(
        subs.slice(n).map((id) => [id, 'completed']),
        knobs.connections,
      ),
    ];
    for (const [i, c] of [1, knobs.connections].entries()) {
      rows.push([
        'plain transition (no rule enabled)',
        String(c),
        num(plain[i].n),
        num(perSecond(plain[i].n, plain[i].ms)),
        num(plain[i].ms / plain[i].n, 2),
        num(plain[i].cpuMs / plain[i].n, 2),
        '1.00×',
      ]);
    }
    for (const [i, c] of [1, knobs.connections].entries()) {
      const r = perSecond(done[i].n, done[i].ms) / perSecond(plain[i].n, plain[i].ms);
      rows.push([
        `completion + consolidation (${SUBTASK_LINES} lines, ${SUBTASK_FILES} files), ${knobs.mains} mains`,
        String(c),
        num(done[i].n),
        num(perSecond(done[i].n, done[i].ms)),
        num(done[i].ms / done[i].n, 2),
        num(done[i].cpuMs / done[i].n, 2),
        ratio(r),
      ]);
    }
    const got = await ctx.job('consolidated-under', { orgId: ctx.orgId, mainIds: prepared.mainIds });
    const want = { completed: 2 * n, consolidations: 2 * n, lineCopies: 2 * n * SUBTASK_LINES, attachmentCopies: 2 * n * SUBTASK_FILES };
    for (const [k, v] of Object.entries(want)) if (got[k] !== v) problems.push(`in process, ${k}: ${got[k]}, expected ${v}`);
    return { rows, problems };
  },
};

/** The sizes the scaling run times: the 10th, the 1,000th and the BENCH_SCALE-th consolidation. */
export const scaleSizes = () => [...new Set([10, 1000, knobs.scaleMax].filter((s) => s > 0 && s <= knobs.scaleMax))];

const scaling: JobScenario = {
  name: 'consolidation scaling',
  head: [
    'n-th consolidation into one main',
    'filled by',
    'fill s',
    'median ms',
    'p90 ms',
    'rule run median ms',
    'vs first',
    'GET invoice p50 ms',
    'GET invoice p90 ms',
    'next page p50 ms',
  ],
  async run(ctx) {
    const problems: string[] = [];
    const rows: string[][] = [];
    const notes: string[] = [];
    if (knobs.scaleMax === 0) return { rows, problems };
    await ctx.api('POST', `/api/v1/automations/${ctx.ruleIds.consolidate_by_project}/enable`);
    const { mainId } = await ctx.job('scaling-start', { orgId: ctx.orgId, userId: ctx.userId });
    let first: number | undefined;
    let last: number | undefined;
    for (const at of scaleSizes()) {
      const w = await ctx.job('scaling-window', { orgId: ctx.orgId, userId: ctx.userId, mainId, at, window: knobs.scaleWindow, lines: knobs.scaleLines });
      const expected = at - 1 + knobs.scaleWindow;
      if (w.after !== expected) problems.push(`scaling: ${w.after} consolidations into the main task, expected ${expected}`);
      if (w.lineCopies !== expected * knobs.scaleLines)
        problems.push(`scaling: ${w.lineCopies} line copies on the main task, expected ${expected * knobs.scaleLines}`);
      if (w.runs !== knobs.scaleWindow) problems.push(`scaling: ${w.runs} successful rule runs in the window of ${knobs.scaleWindow}`);
      // The invoice view's first page, through HTTP, at this size; then the page after it, as
      // "load more" asks for it (when there is one).
      const times: number[] = [];
      const nextTimes: number[] = [];
      const linesOf = (page: { groups: { lines: unknown[] }[] }) => page.groups.reduce((s, g) => s + g.lines.length, 0);
      for (let i = 0; i < 20; i++) {
        const t0 = performance.now();
        const page = await ctx.api('GET', `/api/v1/tasks/${mainId}/invoice?limit=200`);
        times.push(performance.now() - t0);
        if (linesOf(page) !== Math.min(200, expected * knobs.scaleLines)) problems.push(`scaling: invoice page has ${linesOf(page)} lines`);
        if (!page.nextCursor) continue;
        const t1 = performance.now();
        const next = await ctx.api('GET', `/api/v1/tasks/${mainId}/invoice?limit=200&cursor=${encodeURIComponent(page.nextCursor)}`);
        nextTimes.push(performance.now() - t1);
        if (linesOf(next) !== Math.min(200, expected * knobs.scaleLines - 200)) problems.push(`scaling: the invoice's next page has ${linesOf(next)} lines`);
      }
      first ??= w.medianMs;
      last = w.medianMs;
      rows.push([
        `${num(at)}th–${num(at + knobs.scaleWindow - 1)}th`,
        w.filledBy === 'none' ? '—' : `${num(w.fill)} ${w.filledBy}`,
        num(w.fillMs / 1000, 1),
        num(w.medianMs, 2),
        num(w.p90Ms, 2),
        num(w.runMedianMs, 2),
        ratio(w.medianMs / first!),
        num(median(times), 1),
        num(quantile(times, 0.9), 1),
        nextTimes.length ? num(median(nextTimes), 1) : '—',
      ]);
    }
    if (first !== undefined && last !== undefined && scaleSizes().length > 1) {
      const r = last / first;
      notes.push(`${num(knobs.scaleMax)}th vs 10th consolidation: ${ratio(r)} — ${r <= 1.5 ? 'within' : 'OUTSIDE'} the issue's 1.5× bound`);
    }
    return { rows, problems, notes };
  },
};

const monthEnd: JobScenario = {
  name: 'month-end',
  head: ['clients', 'setup s (not timed)', 'close+issue+create s', 'deliver s (PDF + SMTP)', 'emails/s', 'total s', 'ms per client', 'KiB per email'],
  async run(ctx, { sink }) {
    const n = knobs.clients;
    const problems: string[] = [];
    await ctx.api('POST', `/api/v1/automations/${ctx.ruleIds.progressive_billing}/enable`);
    const setup = await ctx.job('prepare-month-end', { orgId: ctx.orgId, userId: ctx.userId, clients: n, lines: 4 });
    await ctx.api('POST', `/api/v1/automations/${ctx.ruleIds.progressive_billing}/disable`);
    const invoice = ctx.typeIds.invoice;
    const rule = await ctx.api('POST', '/api/v1/automations', {
      name: 'Month-end',
      enabled: true,
      trigger: {
        type: 'schedule',
        schedule: { kind: 'monthly', day: 'last', time: '17:00' },
        target: { taskTypeIds: [invoice], statusCategory: 'open', hasContent: true },
      },
      actions: [{ type: 'transition_task', to: 'closed' }],
    });
    await ctx.api('POST', '/api/v1/automations', {
      name: 'Send the invoice, open the next one',
      enabled: true,
      trigger: { type: 'status_entered', status: 'closed', taskTypeIds: [invoice] },
      actions: [
        {
          type: 'send_email',
          to: { clientBilling: true },
          templates: {
            fr: { subject: 'Facture {invoice.number}', body: 'Bonjour {client.name},\n\nVotre facture {invoice.number} de {invoice.total} est jointe.\n' },
            en: { subject: 'Invoice {invoice.number}', body: 'Hello {client.name},\n\nYour invoice {invoice.number} for {invoice.total} is attached.\n' },
          },
          attach: { invoicePdf: true },
        },
        { type: 'create_task', typeId: invoice, title: 'Facture {client.name} — {period.next.month_name} {period.next.year}' },
      ],
    });
    sink.messages.length = 0;
    const r = await ctx.job('run-month-end', { orgId: ctx.orgId, ruleId: rule.id, expect: n });
    problems.push(...r.problems);
    const got = sink.messages;
    if (got.length !== n) problems.push(`month-end: the SMTP server received ${got.length} messages, expected ${n}`);
    if (new Set(got.map((m) => m.messageId)).size !== got.length) problems.push('month-end: duplicate Message-IDs received');
    if (got.some((m) => !m.hasPdf)) problems.push(`month-end: ${got.filter((m) => !m.hasPdf).length} messages without a PDF attachment`);
    const rcpt = new Set(got.flatMap((m) => m.rcptTo));
    const wanted = Array.from({ length: n }, (_, i) => clientEmail(i + 1));
    if (rcpt.size !== n || wanted.some((e) => !rcpt.has(e))) problems.push(`month-end: recipients ${rcpt.size} distinct, expected the ${n} clients' addresses`);
    const total = r.scheduleMs + r.deliverMs;
    const bytes = got.reduce((s, m) => s + m.bytes, 0) / Math.max(1, got.length);
    return {
      rows: [
        [
          num(n),
          num(setup.ms / 1000, 1),
          num(r.scheduleMs / 1000, 1),
          num(r.deliverMs / 1000, 1),
          num(perSecond(n, r.deliverMs), 1),
          num(total / 1000, 1),
          num(total / n, 1),
          num(bytes / 1024, 1),
        ],
      ],
      problems,
    };
  },
};

/** Run in this order on each store, after the HTTP scenarios: scaling last, as it grows every table. */
export const jobScenarios: JobScenario[] = [inProcess, monthEnd, scaling];
