import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Org, TestContext } from '../testing/harness.ts';
import { typeIds } from '../testing/defaults.ts';

/** Helpers shared by the mail and outbox tests (not a test file itself). */

export interface Received {
  mail: ParsedMail;
  /** The SMTP envelope's recipients (RCPT TO), which is where it really goes. */
  rcptTo: string[];
}

export interface TestSmtp {
  url: string;
  received: Received[];
  /** When set, every RCPT TO is refused with 550 and this text. */
  refuse: string | null;
  /** Resolves once `n` messages have arrived. */
  waitFor(n: number): Promise<void>;
  close(): Promise<void>;
}

/** A real SMTP server on loopback (port 0), with AUTH, that parses what it receives. */
export async function startSmtp(): Promise<TestSmtp> {
  const waiters: { n: number; resolve: () => void }[] = [];
  const smtp: TestSmtp = {
    url: '',
    received: [],
    refuse: null,
    waitFor: (n) => (smtp.received.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, cb) {
      if (auth.username === 'chantier' && auth.password === 'secret') cb(null, { user: 'chantier' });
      else cb(new Error('invalid credentials'));
    },
    onRcptTo(_address, _session, cb) {
      if (!smtp.refuse) return cb();
      cb(Object.assign(new Error(smtp.refuse), { responseCode: 550 }));
    },
    onData(stream, session, cb) {
      simpleParser(stream).then((mail) => {
        smtp.received.push({ mail, rcptTo: session.envelope.rcptTo.map((r) => r.address) });
        for (const w of waiters.filter((x) => smtp.received.length >= x.n)) w.resolve();
        cb();
      }, cb);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  smtp.url = `smtp://chantier:secret@127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return smtp;
}

export interface MailWorld {
  org: Org;
  workTypeId: string;
  call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, token?: string): Promise<any>;
}

export async function mailWorld(ctx: TestContext): Promise<MailWorld> {
  const org = await ctx.signup();
  return {
    org,
    workTypeId: (await typeIds(ctx, org)).work,
    async call(method, url, body, token = org.token) {
      const r = await ctx.call(method, `/api/v1${url}`, token, body);
      assert.ok(r.status < 300, `${method} ${url} → ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
  };
}

export const templates = {
  fr: {
    subject: 'Travaux terminés : {task.number} — {task.title}',
    body: 'Bonjour {client.name},\n\nLa tâche {task.number} ({task.title}) est terminée.\nFacture : {invoice.number} {invoice.total}\nSuivi : {link}\n',
  },
  en: {
    subject: 'Work completed: {task.number} — {task.title}',
    body: 'Hello {client.name},\n\nTask {task.number} ({task.title}) is completed.\nInvoice: {invoice.number} {invoice.total}\nTrack it: {link}\n',
  },
};

/** An enabled rule: when a work task enters "completed", run these actions. */
export async function onCompleted(w: MailWorld, actions: Record<string, unknown>[], name = 'Email on completion') {
  return w.call('POST', '/automations', {
    name,
    enabled: true,
    trigger: { type: 'status_entered', status: 'completed', taskTypeIds: [w.workTypeId] },
    actions,
  });
}

export const outboxRows = (ctx: TestContext, orgId: string) =>
  ctx.deps.db.kysely.selectFrom('outbox').selectAll().where('org_id', '=', orgId).orderBy('id').execute();
