import { addDays, localParts, parseTime, zonedToUtc } from '../shared/calendar.ts';
import type { Credentials, DemoApi } from './api.ts';
import type { DemoScript, DemoTask } from './script.ts';

export interface DemoTaskResult {
  id: string;
  displayNumber: string;
  title: string;
  status: string;
  /** Its invoice view's total with taxes: its own lines and what was consolidated into it. */
  totalCents: number;
}

interface Refs {
  typeIds: Map<string, string>;
  clientIds: Map<string, string>;
  userIds: Map<string, string>;
  ref: (map: Map<string, string>, kind: string, key: string) => string;
}

interface Play {
  now: Date;
  dispatcher: Credentials;
  credentialsOf: (userKey: string) => Promise<Credentials>;
  /** Records a part of the script this server has no route for. */
  optional: (what: string, done: boolean) => void;
  refs: Refs;
}

/**
 * Plays the script's tasks: the dispatcher creates every task and the crews enter their
 * content; then the work is done (the transitions, which the rules act on), task by task, so
 * every sub-task of a project exists before the first completes. Returns each task as it ends up.
 */
export async function playTasks(api: DemoApi, script: DemoScript, p: Play): Promise<Record<string, DemoTaskResult>> {
  const taskIds = new Map<string, string>();
  for (const t of script.tasks) {
    const created = await api.send(`create task ${t.key}`, p.dispatcher, 'POST', '/api/v1/tasks', taskBody(t, p.now, script.organization, p.refs, taskIds));
    taskIds.set(t.key, created.id);
    const worker = await p.credentialsOf(t.by ?? script.dispatcher);
    const url = `/api/v1/tasks/${created.id}`;
    for (const line of t.lines ?? []) {
      p.optional('invoice lines', await api.sendIfRouted(`add a line to ${t.key}`, worker, 'POST', `${url}/lines`, { taxTreatment: 'taxable', ...line }));
    }
    for (const body of t.notes ?? []) p.optional('notes', await api.sendIfRouted(`add a note to ${t.key}`, worker, 'POST', `${url}/notes`, { body }));
    for (const a of t.attachments ?? []) {
      const fileName = a.fileName.replaceAll('{number}', created.displayNumber);
      p.optional('attachments', await api.uploadIfRouted(`attach ${fileName}`, worker, `${url}/attachments`, fileName, Buffer.from(a.text)));
    }
  }
  for (const t of script.tasks) {
    for (const step of t.transitions ?? []) {
      const { to, by } = typeof step === 'string' ? { to: step, by: undefined } : step;
      const who = await p.credentialsOf(by ?? t.by ?? script.dispatcher);
      await api.send(`move ${t.key} to ${to}`, who, 'POST', `/api/v1/tasks/${taskIds.get(t.key)}/transitions`, { to });
    }
  }
  const tasks: Record<string, DemoTaskResult> = {};
  for (const [key, id] of taskIds) {
    const task = await api.send(`read task ${key}`, p.dispatcher, 'GET', `/api/v1/tasks/${id}`);
    const invoice = await api.send(`read the invoice of ${key}`, p.dispatcher, 'GET', `/api/v1/tasks/${id}/invoice`);
    tasks[key] = { id, displayNumber: task.displayNumber, title: task.title, status: task.status, totalCents: invoice.totals.totalCents };
  }
  return tasks;
}

function taskBody(t: DemoTask, now: Date, org: DemoScript['organization'], r: Refs, taskIds: Map<string, string>) {
  const start = t.schedule && localDateTime(now, t.schedule.day, t.schedule.start, org.timeZone);
  return {
    typeId: r.ref(r.typeIds, 'task type', t.type),
    title: t.title.replaceAll('{month}', monthTitle(now, org.locale, org.timeZone)),
    ...(t.description ? { description: t.description } : {}),
    ...(t.client ? { clientId: r.ref(r.clientIds, 'client', t.client) } : {}),
    ...(t.parent ? { parentId: r.ref(taskIds, 'task', t.parent) } : {}),
    assigneeIds: (t.assignees ?? []).map((k) => r.ref(r.userIds, 'user', k)),
    ...(start ? { scheduledStart: start.toISOString(), scheduledEnd: new Date(start.getTime() + t.schedule!.hours * 3_600_000).toISOString() } : {}),
    ...(t.siteAddress ? { siteAddress: t.siteAddress } : {}),
  };
}

/** The instant of wall-clock `hh:mm` in `timeZone`, `day` days after the local date of `now`. */
function localDateTime(now: Date, day: number, hhmm: string, timeZone: string): Date {
  return zonedToUtc({ ...addDays(localParts(now, timeZone), day), ...parseTime(hhmm) }, timeZone);
}

/** "novembre 2026" / "November 2026": the month of `now` in the organization's language. */
function monthTitle(now: Date, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, month: 'long', year: 'numeric' }).format(now);
}
