// The month-end of many clients: setup (each client with an open invoice task holding a few
// lines consolidated from a completed work task), then the scheduled occurrence as the scheduler
// runs it (close → issue → email queued → next invoice task), then the outbox worker as
// `chantier serve` runs it, delivering every email with its PDF to SMTP_URL.
import { createClient } from '../../src/clients/service.ts';
import { CreateClientBody } from '../../src/clients/schemas.ts';
import type { Deps } from '../../src/deps.ts';
import { runDueSchedules } from '../../src/automation/schedule/index.ts';
import { nextOccurrence } from '../../src/automation/schedule/occurrences.ts';
import { scheduledRules } from '../../src/automation/schedule/scheduled-rules.ts';
import { createTask } from '../../src/tasks/index.ts';
import { transitionTask } from '../../src/transition/index.ts';
import { CreateTaskBody } from '../../src/tasks/schemas.ts';
import { createWorker } from '../../src/worker.ts';
import { inParallel } from '../util.ts';
import { benchPrincipal, insertChunked, lineRows, timed, typeIdOf } from './kit.ts';

interface Caller {
  orgId: string;
  userId: string;
}

/** Address of the i-th bench client (the SMTP sink checks recipients against it). */
export const clientEmail = (i: number) => `compta-${i}@client-${i}.example`;

/**
 * `clients` clients, each with an open invoice task that receives `lines` lines from a work
 * task completed under progressive billing (enabled by the caller). Clients alternate French
 * and English, Quebec and Ontario.
 */
export async function prepareMonthEnd(deps: Deps, a: Caller & { clients: number; lines: number }) {
  const p = benchPrincipal(a.orgId, a.userId);
  const [work, invoice] = [await typeIdOf(deps, a.orgId, 'work'), await typeIdOf(deps, a.orgId, 'invoice')];
  const concurrency = deps.db.dialect === 'postgres' ? 4 : 1;
  const { ms } = await timed(() =>
    inParallel(
      Array.from({ length: a.clients }, (_, i) => i + 1),
      concurrency,
      async (i) => {
        const client = await createClient(
          deps,
          p,
          CreateClientBody.parse({ name: `Client ${i}`, billingEmails: [clientEmail(i)], language: i % 2 ? 'fr' : 'en', taxRegion: i % 2 ? 'QC' : 'ON' }),
        );
        await createTask(deps, p, CreateTaskBody.parse({ typeId: invoice, title: `Facture ${i}`, clientId: client.id }));
        const job = await createTask(deps, p, CreateTaskBody.parse({ typeId: work, title: `Travaux ${i}`, clientId: client.id, status: 'in_progress' }));
        await insertChunked(deps.db.kysely, 'task_lines', lineRows(deps, [{ id: job.id, org_id: a.orgId, title: job.title }], a.lines, a.userId));
        await transitionTask(deps, p, job.id, { to: 'completed' });
      },
    ),
  );
  return { ms };
}

/**
 * Runs the month-end rule's coming occurrence now (runDueSchedules with the clock just past
 * it), then worker rounds until nothing is due; checks what the store holds afterwards.
 */
export async function runMonthEnd(deps: Deps, a: { orgId: string; ruleId: string; expect: number }) {
  const db = deps.db.kysely;
  const [rule] = await scheduledRules(db, { ruleId: a.ruleId, orgId: a.orgId });
  const at = new Date(nextOccurrence(rule.trigger.schedule, rule.timeZone, deps.clock.now()).getTime() + 30_000);
  const schedule = await timed(() => runDueSchedules(deps, at));
  const report = schedule.value.find((r) => r.ruleId === a.ruleId);
  const worker = createWorker(deps);
  let rounds = 0;
  const deliver = await timed(async () => {
    for (;;) {
      rounds++;
      if ((await worker.runOnce()).claimed === 0) break;
    }
  });
  await worker.stop();

  const problems: string[] = [];
  const expect = (what: string, got: unknown, want: unknown) => {
    if (got !== want) problems.push(`${what}: ${String(got)}, expected ${String(want)}`);
  };
  expect('tasks selected by the occurrence', report?.selected, a.expect);
  expect('tasks closed by the occurrence', report?.succeeded, a.expect);
  const invoices = await db.selectFrom('invoices').select(['number', 'task_id']).where('org_id', '=', a.orgId).where('kind', '=', 'invoice').execute();
  expect('issued invoices', invoices.length, a.expect);
  expect('distinct invoice numbers', new Set(invoices.map((i) => i.number)).size, a.expect);
  const seqs = invoices.map((i) => Number(/(\d+)$/.exec(i.number)?.[1])).sort((x, y) => x - y);
  if (!seqs.every((s, k) => s === k + 1))
    problems.push(
      `invoice numbers are not gapless from 1: ${invoices
        .slice(0, 3)
        .map((i) => i.number)
        .join(', ')}…`,
    );
  const invoiceType = await typeIdOf(deps, a.orgId, 'invoice');
  const byStatus = await db
    .selectFrom('tasks')
    .select(['status', (eb) => eb.fn.countAll().as('n')])
    .where('org_id', '=', a.orgId)
    .where('type_id', '=', invoiceType)
    .groupBy('status')
    .execute();
  const statusCount = (s: string) => Number(byStatus.find((r) => r.status === s)?.n ?? 0);
  expect('closed invoice tasks', statusCount('closed'), a.expect);
  expect("next month's open invoice tasks", statusCount('open'), a.expect);
  const outbox = await db
    .selectFrom('outbox')
    .select(['state', (eb) => eb.fn.countAll().as('n')])
    .where('org_id', '=', a.orgId)
    .where('kind', '=', 'email')
    .groupBy('state')
    .execute();
  const states = Object.fromEntries(outbox.map((r) => [r.state, Number(r.n)]));
  expect('emails sent', states.sent ?? 0, a.expect);
  const unsent = Object.entries(states).filter(([s]) => s !== 'sent');
  if (unsent.length) problems.push(`emails not sent: ${unsent.map(([s, n]) => `${n} ${s}`).join(', ')}`);
  return {
    occurrenceAt: report?.occurrenceAt,
    scheduleMs: schedule.ms,
    scheduleCpuMs: schedule.cpuMs,
    deliverMs: deliver.ms,
    deliverCpuMs: deliver.cpuMs,
    rounds,
    problems,
  };
}
