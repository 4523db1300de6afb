import { randomBytes } from 'node:crypto';
import { issueCredential } from '../accounts/index.ts';
import { buildApp } from '../app.ts';
import type { Deps } from '../deps.ts';
import { bearer, demoApi, type Credentials, type DemoApi } from './api.ts';
import { DEMO } from './data/index.ts';
import type { DemoScript, DemoTask } from './script.ts';
import { localDateTime, monthTitle } from './when.ts';

export interface DemoResult {
  /** `already_loaded`: the organization was there; only a fresh token was issued. */
  status: 'loaded' | 'already_loaded';
  organization: { id: string; name: string };
  /** The admin's login; the password only when this run created it. */
  login: { email: string; password: string | null };
  /** A new personal API token of the admin. */
  token: string;
  users: { name: string; email: string; role: string }[];
  /** Created tasks by their demo key (empty when already loaded). */
  tasks: Record<string, { id: string; displayNumber: string; title: string; status: string }>;
  /** Parts of the script this server cannot do yet, each with the reason. */
  skipped: string[];
}

export interface LoadDemoOptions {
  script?: DemoScript;
  /** The demo users' password; a random one by default. */
  password?: string;
}

/**
 * Loads the demo organization by playing its script through the real HTTP API, in process,
 * so it passes the same validation and rules as any client. Safe to run again: when the
 * organization's admin already exists, it only issues a fresh API token for them.
 */
export async function loadDemo(deps: Deps, opts: LoadDemoOptions = {}): Promise<DemoResult> {
  const script = opts.script ?? DEMO;
  const existing = await findLoadedDemo(deps, script);
  if (existing) {
    const { secret } = await issueCredential(deps.db.kysely, {
      orgId: existing.org_id,
      userId: existing.id,
      kind: 'token',
      name: 'chantier demo',
      now: deps.clock.now(),
    });
    return {
      status: 'already_loaded',
      organization: { id: existing.org_id, name: script.organization.name },
      login: { email: existing.email, password: null },
      token: secret,
      users: [script.admin, ...script.users].map(({ name, email, role }) => ({ name, email, role })),
      tasks: {},
      skipped: [],
    };
  }
  // The demo is an operator's command: it may create its organization even when sign-up is closed.
  const app = await buildApp({ ...deps, config: { ...deps.config, signup: 'open' } });
  try {
    return await play(demoApi(app), deps, script, opts.password ?? `demo-${randomBytes(9).toString('base64url')}`);
  } finally {
    await app.close();
  }
}

/** The demo's admin, in an organization of the demo's name (the oldest, if loaded twice at once). */
function findLoadedDemo(deps: Deps, script: DemoScript) {
  return deps.db.kysely
    .selectFrom('users as u')
    .innerJoin('organizations as o', 'o.id', 'u.org_id')
    .select(['u.id', 'u.org_id', 'u.email'])
    .where('u.email_lower', '=', script.admin.email.toLowerCase())
    .where('o.name', '=', script.organization.name)
    .where('u.role', '=', 'admin')
    .where('u.active', '=', 1)
    .orderBy('o.created_at')
    .executeTakeFirst();
}

async function play(api: DemoApi, deps: Deps, script: DemoScript, password: string): Promise<DemoResult> {
  const skipped = new Set<string>();
  const optional = (what: string, done: boolean) => {
    if (!done) skipped.add(`${what}: this server has no route for them yet`);
  };

  const org = script.organization;
  const signedUp = await api.send('sign up', undefined, 'POST', '/api/v1/signup', {
    orgName: org.name,
    name: script.admin.name,
    email: script.admin.email,
    password,
    locale: org.locale,
    timeZone: org.timeZone,
  });
  const adminCreds = bearer(signedUp.token);
  const settings = { address: org.address, gstNumber: org.gstNumber, qstNumber: org.qstNumber };
  if (Object.values(settings).some((v) => v !== undefined)) {
    optional('organization settings (address, GST/QST numbers)', await api.sendIfRouted('set the seller details', adminCreds, 'PATCH', '/api/v1/organization', settings));
  }
  const { token } = (await api.send('create the demo token', adminCreds, 'POST', '/api/v1/tokens', { name: 'chantier demo' })) as { token: string };

  // People: the admin adds everyone; each logs in when first needed, like a real user.
  const userIds = new Map<string, string>([[script.admin.key, signedUp.user.id]]);
  const emails = new Map<string, string>([[script.admin.key, script.admin.email]]);
  for (const u of script.users) {
    const created = await api.send(`add user ${u.email}`, adminCreds, 'POST', '/api/v1/users', { name: u.name, email: u.email, password, role: u.role });
    userIds.set(u.key, created.id);
    emails.set(u.key, u.email);
  }
  const sessions = new Map<string, Credentials>([[script.admin.key, adminCreds]]);
  const credentialsOf = async (key: string) => {
    let c = sessions.get(key);
    if (!c) {
      const email = emails.get(key);
      if (!email) throw new Error(`the demo script names an unknown user "${key}"`);
      c = await api.login(email, password);
      sessions.set(key, c);
    }
    return c;
  };
  const dispatcher = await credentialsOf(script.dispatcher);

  const clientIds = new Map<string, string>();
  for (const c of script.clients) {
    const { key, ...body } = c;
    clientIds.set(key, (await api.send(`create client ${c.name}`, dispatcher, 'POST', '/api/v1/clients', body)).id);
  }

  const types = (await api.send('list task types', dispatcher, 'GET', '/api/v1/task-types')).items as { id: string; key: string }[];
  const typeIds = new Map(types.map((t) => [t.key, t.id]));
  const ref = (map: Map<string, string>, kind: string, key: string) => {
    const id = map.get(key);
    if (!id) throw new Error(`the demo script names an unknown ${kind} "${key}"`);
    return id;
  };

  const now = deps.clock.now();
  const tasks: DemoResult['tasks'] = {};
  const taskIds = new Map<string, string>();
  for (const t of script.tasks) {
    const created = await api.send(`create task ${t.key}`, dispatcher, 'POST', '/api/v1/tasks', taskBody(t, now, org, { typeIds, clientIds, taskIds, userIds, ref }));
    taskIds.set(t.key, created.id);
    let task = created;
    const worker = await credentialsOf(t.by ?? script.dispatcher);
    const url = `/api/v1/tasks/${created.id}`;
    for (const line of t.lines ?? []) {
      optional('invoice lines', await api.sendIfRouted(`add a line to ${t.key}`, worker, 'POST', `${url}/lines`, { taxTreatment: 'taxable', ...line }));
    }
    for (const body of t.notes ?? []) optional('notes', await api.sendIfRouted(`add a note to ${t.key}`, worker, 'POST', `${url}/notes`, { body }));
    for (const a of t.attachments ?? []) {
      const fileName = a.fileName.replaceAll('{number}', created.displayNumber);
      optional('attachments', await api.uploadIfRouted(`attach ${fileName}`, worker, `${url}/attachments`, fileName, Buffer.from(a.text)));
    }
    for (const step of t.transitions ?? []) {
      const { to, by } = typeof step === 'string' ? { to: step, by: undefined } : step;
      const who = by ? await credentialsOf(by) : worker;
      task = await api.send(`move ${t.key} to ${to}`, who, 'POST', `${url}/transitions`, { to });
    }
    tasks[t.key] = { id: task.id, displayNumber: task.displayNumber, title: task.title, status: task.status };
  }

  return {
    status: 'loaded',
    organization: { id: signedUp.organization.id, name: org.name },
    login: { email: script.admin.email, password },
    token,
    users: [script.admin, ...script.users].map(({ name, email, role }) => ({ name, email, role })),
    tasks,
    skipped: [...skipped],
  };
}

interface Refs {
  typeIds: Map<string, string>;
  clientIds: Map<string, string>;
  taskIds: Map<string, string>;
  userIds: Map<string, string>;
  ref: (map: Map<string, string>, kind: string, key: string) => string;
}

function taskBody(t: DemoTask, now: Date, org: DemoScript['organization'], r: Refs) {
  const start = t.schedule && localDateTime(now, t.schedule.day, t.schedule.start, org.timeZone);
  return {
    typeId: r.ref(r.typeIds, 'task type', t.type),
    title: t.title.replaceAll('{month}', monthTitle(now, org.locale, org.timeZone)),
    ...(t.description ? { description: t.description } : {}),
    ...(t.client ? { clientId: r.ref(r.clientIds, 'client', t.client) } : {}),
    ...(t.parent ? { parentId: r.ref(r.taskIds, 'task', t.parent) } : {}),
    assigneeIds: (t.assignees ?? []).map((k) => r.ref(r.userIds, 'user', k)),
    ...(start ? { scheduledStart: start.toISOString(), scheduledEnd: new Date(start.getTime() + t.schedule!.hours * 3_600_000).toISOString() } : {}),
    ...(t.siteAddress ? { siteAddress: t.siteAddress } : {}),
  };
}
