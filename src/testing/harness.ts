import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'node:test';
import type { FastifyInstance, InjectOptions } from 'fastify';
import pg from 'pg';
import { pino, type Logger } from 'pino';
import { issueCredential } from '../accounts/credentials.ts';
import { buildApp } from '../app.ts';
import { loadConfig, type Config } from '../config.ts';
import { migrateToLatest, openDatabase, type Db } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { createDeps } from '../runtime.ts';
import type { Clock } from '../shared/clock.ts';

export type StoreName = 'sqlite' | 'postgres';

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL is set. */
export function testStores(): StoreName[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** Runs the same suite once per store: `describeEachStore('tasks', (store) => { … })`. */
export function describeEachStore(name: string, fn: (store: StoreName) => void): void {
  for (const store of testStores()) describe(`${name} [${store}]`, () => fn(store));
}

/**
 * A fresh, migrated database: an in-memory SQLite, or a new PostgreSQL schema dropped on close.
 * `upTo` stops after that migration (to test a later one on existing rows).
 */
export async function freshDb(store: StoreName, upTo?: string): Promise<{ db: Db; drop: () => Promise<void>; migrateRest: () => Promise<string[]> }> {
  if (store === 'sqlite') {
    // TEST_SQLITE_FILE=1: a file, as `npm start` runs (read-only second connection, WAL fsync),
    // instead of the in-memory database the suite uses by default.
    const dir = process.env.TEST_SQLITE_FILE ? mkdtempSync(join(tmpdir(), 'chantier-sqlite-')) : undefined;
    const db = openDatabase({ url: dir ? join(dir, 'chantier.db') : ':memory:' });
    await migrateToLatest(db, upTo);
    const drop = async () => {
      await db.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    };
    return { db, drop, migrateRest: () => migrateToLatest(db) };
  }
  const url = process.env.TEST_DATABASE_URL!;
  const schema = `t_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const db = openDatabase({ url, schema, poolSize: 12 });
  await underSchemaLock(url, async (admin) => {
    await admin.query(`create schema ${schema}`);
    await migrateToLatest(db, upTo);
  });
  return {
    db,
    drop: async () => {
      await db.close();
      await underSchemaLock(url, (admin) => admin.query(`drop schema ${schema} cascade`));
    },
    migrateRest: () => underSchemaLock(url, () => migrateToLatest(db)),
  };
}

/**
 * A fresh PostgreSQL schema for tests that start Chantier as a child process: its DATABASE_URL
 * (search_path set to the schema, which the child migrates) and `drop`. Created and dropped under
 * the same lock as freshDb's schemas.
 */
export async function schemaForChildProcesses(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL!;
  const schema = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  await underSchemaLock(base, (admin) => admin.query(`create schema ${schema}`));
  return {
    url: `${base}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    drop: () => underSchemaLock(base, (admin) => admin.query(`drop schema ${schema} cascade`)).then(() => undefined),
  };
}

/** A store on disk that `chantier` commands in child processes share with the test (see sharedStore). */
export interface SharedStore {
  /** The data folder (CHANTIER_DATA_DIR), removed on close. */
  dir: string;
  /** The environment a child `chantier` process runs with (CHANTIER_DATA_DIR, DATABASE_URL). */
  env: NodeJS.ProcessEnv;
  deps: Deps;
  /** A JSON call to the app in process; anything but 2xx fails the test. */
  call: (method: string, url: string, body: unknown, token?: string) => Promise<any>;
  /** Closes the in-process app once the set-up through the API is done. */
  closeApp: () => Promise<void>;
  close: () => Promise<void>;
}

/**
 * For tests of `chantier` commands run as child processes: a SQLite file in a fresh folder, or a
 * fresh PostgreSQL schema (schemaForChildProcesses), migrated, with the app in process to set the
 * world up through the API.
 */
export async function sharedStore(store: StoreName, prefix: string): Promise<SharedStore> {
  const dir = mkdtempSync(join(tmpdir(), `chantier-${prefix}-`));
  const schema = store === 'postgres' ? await schemaForChildProcesses(`t_${prefix}`) : undefined;
  const env = { ...process.env, CHANTIER_DATA_DIR: dir, LOG_LEVEL: 'warn', DATABASE_URL: schema?.url ?? '' };
  const deps = await createDeps(loadConfig(env), { log: pino({ level: 'silent' }) });
  const app = await buildApp(deps);
  const call = async (method: string, url: string, body: unknown, token?: string) => {
    const r = await app.inject({
      method: method as InjectOptions['method'],
      url: `/api/v1${url}`,
      payload: body as object,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
    return r.json();
  };
  return {
    dir,
    env,
    deps,
    call,
    closeApp: () => app.close(),
    close: async () => {
      await deps.db.close();
      await schema?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Test files run in parallel, each creating and dropping its own schemas. Kysely's migrator
 * reads the catalog of every schema, and fails when another file drops one at that moment:
 * creating, migrating and dropping take turns under one advisory lock.
 */
async function underSchemaLock<T>(url: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock(727001)');
    return await work(admin);
  } finally {
    await admin.end(); // ending the session releases the lock
  }
}

export interface TestContext {
  deps: Deps;
  app: FastifyInstance;
  store: StoreName;
  close(): Promise<void>;
  /**
   * Signs up a new organization; returns its admin's token and ids. The organization is ready to
   * invoice (TEST_SELLER: address, GST and QST numbers) unless `sellerDetails: false`.
   */
  signup(
    overrides?: Partial<{ orgName: string; name: string; email: string; password: string; locale: 'fr-CA' | 'en-CA'; sellerDetails: boolean }>,
  ): Promise<Org>;
  /** Adds a user with this role to the organization and gives them a bearer token. */
  addUser(org: Org, role: 'admin' | 'dispatcher' | 'technician', overrides?: Partial<{ name: string; email: string; password: string }>): Promise<Org>;
  /** A JSON request through the app, in process. */
  call(method: InjectOptions['method'], url: string, token?: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
}

export interface Org {
  orgId: string;
  userId: string;
  token: string;
}

export interface Reply {
  status: number;
  body: any;
  headers: Record<string, unknown>;
}

export const TEST_PASSWORD = 'correct horse battery';

/** The seller details a test organization gets at sign-up, so that its invoices may charge GST, HST and QST. */
export const TEST_SELLER = {
  address: { line1: '100 rue du Test', city: 'Montréal', region: 'QC', postalCode: 'H2X 1Y4' },
  gstNumber: '123456789RT0001',
  qstNumber: '1234567890TQ0001',
} as const;

/** Builds the app on a fresh store. Pass `clock` to fix time, `config` to change settings, `log` to see the log. */
export async function testContext(store: StoreName, opts: { clock?: Clock; config?: Partial<Config>; log?: Logger } = {}): Promise<TestContext> {
  const { db, drop } = await freshDb(store);
  const filesDir = mkdtempSync(join(tmpdir(), 'chantier-files-'));
  // Apart from the files: the data dir also gets the secret key file and the .eml outbox.
  const dataDir = mkdtempSync(join(tmpdir(), 'chantier-data-'));
  // Tests sign up and log in many times from one address: limits a test sets itself apply.
  const rateLimits = { signupPerHour: 1e9, loginPerMinute: 1e9, apiPerMinute: 1e9 };
  const config: Config = { ...loadConfig({}), filesDir, dataDir, databaseUrl: ':memory:', rateLimits, ...opts.config };
  const deps = await createDeps(config, { db, clock: opts.clock, log: opts.log ?? pino({ level: 'silent' }), migrate: false });
  const app = await buildApp(deps);
  await app.ready();
  let n = 0;
  const ctx: TestContext = {
    deps,
    app,
    store,
    async close() {
      await app.close();
      await drop();
      rmSync(filesDir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    },
    async signup(o = {}) {
      n += 1;
      const r = await ctx.call('POST', '/api/v1/signup', undefined, {
        orgName: o.orgName ?? `Org ${n}`,
        name: o.name ?? `Admin ${n}`,
        email: o.email ?? `admin${n}-${Math.random().toString(36).slice(2, 8)}@example.com`,
        password: o.password ?? TEST_PASSWORD,
        ...(o.locale ? { locale: o.locale } : {}),
      });
      if (r.status !== 201) throw new Error(`signup failed: ${r.status} ${JSON.stringify(r.body)}`);
      if (o.sellerDetails !== false) {
        const ready = await ctx.call('PATCH', '/api/v1/organization', r.body.token, TEST_SELLER);
        if (ready.status !== 200) throw new Error(`setting the seller details failed: ${ready.status} ${JSON.stringify(ready.body)}`);
      }
      return { orgId: r.body.organization.id, userId: r.body.user.id, token: r.body.token };
    },
    async addUser(org, role, o = {}) {
      n += 1;
      const r = await ctx.call('POST', '/api/v1/users', org.token, {
        name: o.name ?? `${role} ${n}`,
        email: o.email ?? `${role}${n}-${Math.random().toString(36).slice(2, 8)}@example.com`,
        password: o.password ?? TEST_PASSWORD,
        role,
      });
      if (r.status !== 201) throw new Error(`adding a user failed: ${r.status} ${JSON.stringify(r.body)}`);
      const { secret } = await issueCredential(deps.db.kysely, { orgId: org.orgId, userId: r.body.id, kind: 'token', now: deps.clock.now() });
      return { orgId: org.orgId, userId: r.body.id, token: secret };
    },
    call: callThrough(app),
  };
  return ctx;
}

/** TestContext.call over an app: a JSON request in process, the body parsed when it is JSON. */
function callThrough(app: FastifyInstance): TestContext['call'] {
  return async (method, url, token, body, headers = {}) => {
    const res = await app.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(body !== undefined ? { payload: body as InjectOptions['payload'] } : {}),
    });
    let parsed: unknown = res.body;
    if (String(res.headers['content-type'] ?? '').includes('json') && res.body) parsed = JSON.parse(res.body);
    return { status: res.statusCode, body: parsed, headers: res.headers };
  };
}

/**
 * A second app over the same PostgreSQL schema as `ctx`, with its own connection pool and deps:
 * two server instances sharing one database. (An in-memory SQLite cannot be shared.)
 */
export async function secondInstance(ctx: TestContext): Promise<Pick<TestContext, 'app' | 'deps' | 'call' | 'close'>> {
  if (ctx.store !== 'postgres') throw new Error('a second instance needs PostgreSQL');
  const db = openDatabase({ url: process.env.TEST_DATABASE_URL!, schema: ctx.deps.db.schema, poolSize: 12 });
  const deps = await createDeps(ctx.deps.config, { db, clock: ctx.deps.clock, log: ctx.deps.log, migrate: false });
  const app = await buildApp(deps);
  await app.ready();
  return {
    app,
    deps,
    async close() {
      await app.close();
      await db.close();
    },
    call: callThrough(app),
  };
}

/** A clock fixed at an instant that a test moves forward by hand. */
export function fixedClock(start = '2025-03-03T14:00:00.000Z'): Clock & { advance(ms: number): void } {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance(ms) {
      t += ms;
    },
  };
}
