import { randomBytes } from 'node:crypto';
import { issueCredential } from '../accounts/index.ts';
import { buildApp } from '../app.ts';
import type { Deps } from '../deps.ts';
import { bearer, demoApi, type Credentials, type DemoApi } from './api.ts';
import { findDemoRules, setUpAutomations, type DemoRuleResult } from './automations.ts';
import { DEMO } from './data/index.ts';
import type { DemoScript } from './script.ts';
import { playTasks, type DemoTaskResult } from './tasks.ts';

export type { DemoTaskResult };

export interface DemoResult {
  /** `already_loaded`: the organization was there; only a fresh token was issued. */
  status: 'loaded' | 'already_loaded';
  organization: { id: string; name: string };
  /** The admin's login; the password only when this run created it. */
  login: { email: string; password: string | null };
  /** A new personal API token of the admin. */
  token: string;
  users: { name: string; email: string; role: string }[];
  /** Created tasks by their demo key, as they are once the work is done (empty when already loaded). */
  tasks: Record<string, DemoTaskResult>;
  /** Ids by the demo's keys (empty when already loaded). */
  clients: Record<string, string>;
  taskTypes: Record<string, string>;
  /** The rules the demo enabled or created, in firing order. */
  rules: DemoRuleResult[];
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
      clients: {},
      taskTypes: {},
      rules: await findDemoRules(deps, existing.org_id, script.automations),
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
    optional(
      'organization settings (address, GST/QST numbers)',
      await api.sendIfRouted('set the seller details', adminCreds, 'PATCH', '/api/v1/organization', settings),
    );
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

  // The rules come first, so the work below is consolidated, as it would be in real life.
  const rules = await setUpAutomations(api, adminCreds, script.automations, { type: typeIds, client: clientIds });

  const tasks = await playTasks(api, script, { now: deps.clock.now(), dispatcher, credentialsOf, optional, refs: { typeIds, clientIds, userIds, ref } });

  return {
    status: 'loaded',
    organization: { id: signedUp.organization.id, name: org.name },
    login: { email: script.admin.email, password },
    token,
    users: [script.admin, ...script.users].map(({ name, email, role }) => ({ name, email, role })),
    tasks,
    clients: Object.fromEntries(clientIds),
    taskTypes: Object.fromEntries(typeIds),
    rules,
    skipped: [...skipped],
  };
}
