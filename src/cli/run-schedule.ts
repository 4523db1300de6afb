import { parseArgs } from 'node:util';
import { runScheduleNow, type ManualRun } from '../automation/schedule/index.ts';
import { localParts } from '../shared/calendar.ts';
import { loadConfig } from '../config.ts';
import { formatMoney } from '../invoicing/format.ts';
import { createDeps } from '../runtime.ts';
import { AppError } from '../shared/errors.ts';
import type { Command } from './commands.ts';

export const runScheduleCommand: Command = {
  summary: "Run a scheduled rule's current occurrence now, by hand",
  help: `chantier run-schedule <rule id> [--early | --rerun]

Runs a scheduled automation rule now and prints what it did, task by task:
- its latest occurrence, when that is due and has not run yet (e.g. the server was off);
- otherwise its next occurrence, early (e.g. the month-end, for a demo). When the latest
  occurrence already ran, --early is required. Either way the occurrence is recorded: the
  scheduler will not run it again.
--rerun resumes the occurrence left "running" (a server or a run by hand stopped mid-way, even
one run early), and runs exactly the tasks it had chosen and not done (and those that failed);
run it only when no process is running it. With none left running, it runs the latest
occurrence again: the tasks it had not done, and those matching its target now.
It prints each task's outcome, the invoices issued (numbers and totals), the emails queued and
the tasks created.
A disabled rule runs too. Uses the configured store (./data/chantier.db, or DATABASE_URL).`,
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { early: { type: 'boolean' }, rerun: { type: 'boolean' } } });
    const [ruleId] = positionals;
    if (!ruleId || positionals.length > 1) throw new Error('give one rule id (see --help)');
    if (values.early && values.rerun) throw new Error('--early and --rerun do not go together');
    const deps = await createDeps(loadConfig());
    try {
      const run = await runScheduleNow(deps, ruleId, deps.clock.now(), { early: values.early, rerun: values.rerun });
      console.log(formatManualRun(run));
      return run.report.failed > 0 ? 1 : 0;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      console.error(`chantier run-schedule: ${err.message}`);
      return err.type === 'not_found' ? 2 : 1;
    } finally {
      await deps.db.close();
    }
  },
};

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-03-31 17:00 America/Toronto": an instant as the organization reads it. */
export function localLabel(iso: string, timeZone: string): string {
  const l = localParts(new Date(iso), timeZone);
  return `${l.year}-${pad(l.month)}-${pad(l.day)} ${pad(l.hour)}:${pad(l.minute)} ${timeZone}`;
}

/**
 * What the command prints: the occurrence, each targeted task's outcome and what it caused
 * (invoices issued with their numbers and totals, emails queued, tasks created), and the totals.
 */
export function formatManualRun(run: ManualRun): string {
  const r = run.report;
  const lines = [
    `Rule "${r.ruleName}" (${r.ruleId})${run.enabled ? '' : ' — disabled, run by hand anyway'}`,
    `Occurrence ${localLabel(r.occurrenceAt, run.timeZone)} (${r.occurrenceAt})${run.early ? ', run early: the scheduler will not run it again' : ''}`,
  ];
  if (r.alreadyDone > 0) lines.push(`Resumed: ${plural(r.alreadyDone, 'task')} done before ${r.alreadyDone > 1 ? 'were' : 'was'} not run again.`);
  lines.push(r.selected === 0 ? 'No task matched the rule’s target.' : `${plural(r.selected, 'task')} targeted:`);
  const issued: { number: string; totalCents: number; currency: string }[] = [];
  let emails = 0;
  const created: string[] = [];
  for (const t of r.tasks) {
    const what =
      t.outcome === 'failed'
        ? `FAILED: ${t.error}`
        : t.outcome === 'skipped'
          ? 'skipped (changed since, or the conditions do not hold)'
          : (t.steps ?? []).map((s) => `${s.type} ${s.outcome}${describeDetail(s.detail)}`).join('; ');
    lines.push(`  ${t.displayNumber.padEnd(10)} ${t.title.slice(0, 50).padEnd(50)} ${what}`);
    const e = t.effects;
    if (!e) continue;
    for (const inv of e.invoices) lines.push(`  ${''.padEnd(10)} invoice ${inv.number} issued: ${formatMoney(inv.totalCents, 'en', inv.currency)}`);
    if (e.emailsQueued > 0) lines.push(`  ${''.padEnd(10)} ${plural(e.emailsQueued, 'email')} queued`);
    for (const c of e.tasksCreated) lines.push(`  ${''.padEnd(10)} task ${c.displayNumber} created: ${c.title}`);
    issued.push(...e.invoices);
    emails += e.emailsQueued;
    created.push(...e.tasksCreated.map((c) => c.displayNumber));
  }
  lines.push(`Done: ${r.succeeded} succeeded, ${r.failed} failed, ${r.skipped} skipped.`);
  lines.push(
    `Invoices issued: ${issued.length}${issued.length ? ` (${totalsByCurrency(issued)})` : ''}. Emails queued: ${emails}. Tasks created: ${created.length}.`,
  );
  if (r.failed > 0) lines.push(`The failed tasks are logged in the rule’s run log; fix the cause, then run: chantier run-schedule ${r.ruleId} --rerun`);
  return lines.join('\n');
}

const plural = (n: number, word: string) => `${n} ${word}${n > 1 ? 's' : ''}`;

/** "$1,234.56 in total", per currency (integer cents, never a float). */
function totalsByCurrency(invoices: { totalCents: number; currency: string }[]): string {
  const sums = new Map<string, bigint>();
  for (const i of invoices) sums.set(i.currency, (sums.get(i.currency) ?? 0n) + BigInt(i.totalCents));
  return `${[...sums].map(([currency, cents]) => `${formatMoney(cents, 'en', currency)}`).join(' + ')} in total`;
}

function describeDetail(d: Record<string, unknown> | undefined): string {
  if (!d) return '';
  if (typeof d.from === 'string' && typeof d.to === 'string') return ` (${d.from} → ${d.to})`;
  if (typeof d.displayNumber === 'string') return ` (${d.displayNumber} ${String(d.title ?? '')})`;
  if (typeof d.reason === 'string') return ` (${d.reason})`;
  return '';
}
