import { resolve } from 'node:path';
import { z } from 'zod';
import { fileURLToPath } from 'node:url';
import { isPostgresUrl } from './db/open.ts';

/** All configuration, read once from the environment, with defaults that run out of the box. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  dataDir: string;
  filesDir: string;
  signup: 'open' | 'closed';
  maxUploadBytes: number;
  sessionTtlHours: number;
  logLevel: string;
  trustProxy: boolean;
  publicUrl: string;
  /** The origin of CHANTIER_PUBLIC_URL when it is set: cookie-authenticated writes must come from it (unset: from the request's Host). */
  publicOrigin: string | null;
  /** SMTP server (smtp:// or smtps://); null writes each email as a .eml file under dataDir/outbox. */
  smtpUrl: string | null;
  /** Sender of every email, e.g. `Chantier <no-reply@example.com>`. */
  mailFrom: string;
  /** Runs the outbox worker inside `chantier serve` (CHANTIER_WORKER=off to run `chantier worker` apart). */
  worker: boolean;
  /** Runs scheduled automation rules inside `chantier serve` (CHANTIER_SCHEDULER=off: not in this process). */
  scheduler: boolean;
  /** Lets webhooks reach loopback and private addresses (CHANTIER_WEBHOOK_ALLOW_PRIVATE=true); off by default (SSRF). */
  webhookAllowPrivate: boolean;
  /** Requests allowed: sign-ups per client address per hour, logins per address per minute, API calls per credential per minute. */
  rateLimits: { signupPerHour: number; loginPerMinute: number; apiPerMinute: number };
  /** CHANTIER_SECRET_KEY: encrypts webhook secrets at rest (null: a key file under dataDir, made on first start). */
  secretKey: Buffer | null;
  /** CHANTIER_SECRET_KEYS_OLD: earlier keys, to decrypt secrets that start-up re-encrypts with the current one. */
  oldSecretKeys: Buffer[];
  /** The built web app served at / (CHANTIER_WEB_DIR; default dist/web in the package). */
  webDir: string;
}

export class ConfigError extends Error {}

/** Unset and empty are the same: the default applies. */
const blank = (v: unknown) => (v === '' ? undefined : v);
const text = () => z.preprocess(blank, z.string().trim().optional());
const choice = <T extends string>(...values: [T, ...T[]]) =>
  z.preprocess(
    blank,
    z.enum(values, { error: `must be ${values.length > 2 ? 'one of ' : ''}${values.map((v) => `"${v}"`).join(values.length > 2 ? ', ' : ' or ')}` }).optional(),
  );
const wholeNumber = (min: number, max: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.preprocess(blank, z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error }).optional());
};
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Every environment variable Chantier reads, checked at start; each message names its variable. */
const Env = z.object({
  CHANTIER_DATA_DIR: text(),
  CHANTIER_FILES_DIR: text(),
  DATABASE_URL: text().refine((v) => v === undefined || isPostgresUrl(v) || !/^\w+:\/\//.test(v), {
    error: 'must be a postgres:// URL (or unset for the embedded SQLite store)',
  }),
  PORT: wholeNumber(0, 65535),
  HOST: text(),
  CHANTIER_SIGNUP: choice('open', 'closed'),
  CHANTIER_MAX_UPLOAD_MB: wholeNumber(1, 10_000),
  CHANTIER_SESSION_TTL_HOURS: wholeNumber(1, 24 * 365),
  LOG_LEVEL: choice(...LOG_LEVELS),
  CHANTIER_TRUST_PROXY: choice('true', 'false'),
  CHANTIER_PUBLIC_URL: text().refine((v) => v === undefined || (URL.canParse(v) && /^https?:$/.test(new URL(v).protocol) && new URL(v).hostname !== ''), {
    error: 'must be the http:// or https:// address people use, e.g. https://chantier.example.com',
  }),
  SMTP_URL: text().refine((v) => v === undefined || (URL.canParse(v) && /^smtps?:$/.test(new URL(v).protocol) && new URL(v).hostname !== ''), {
    error: 'must look like smtp://user:pass@host:587 or smtps://host:465',
  }),
  MAIL_FROM: text().refine((v) => v === undefined || mailAddressOf(v) !== null, { error: 'must be an address, e.g. "Chantier <no-reply@example.com>"' }),
  CHANTIER_WORKER: choice('on', 'off'),
  CHANTIER_SCHEDULER: choice('on', 'off'),
  CHANTIER_WEBHOOK_ALLOW_PRIVATE: choice('true', 'false'),
  CHANTIER_RATE_LIMIT_SIGNUP: wholeNumber(1, 1e9),
  CHANTIER_RATE_LIMIT_LOGIN: wholeNumber(1, 1e9),
  CHANTIER_RATE_LIMIT_API: wholeNumber(1, 1e9),
  CHANTIER_SECRET_KEY: text(),
  CHANTIER_SECRET_KEYS_OLD: text(),
  CHANTIER_WEB_DIR: text(),
});

/** Reads and checks the environment; a bad value throws ConfigError naming every variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const name = String(i.path[0]);
      // URLs may carry a password: never echoed.
      return name.endsWith('_URL') ? `${name} ${i.message}` : `${name} ${i.message} (it is ${JSON.stringify(env[name])})`;
    });
    throw new ConfigError(problems.join('; '));
  }
  const e = parsed.data;
  const dataDir = resolve(e.CHANTIER_DATA_DIR ?? './data');
  const port = e.PORT ?? 3000;
  return {
    port,
    host: e.HOST ?? '0.0.0.0',
    databaseUrl: e.DATABASE_URL || resolve(dataDir, 'chantier.db'),
    dataDir,
    filesDir: resolve(e.CHANTIER_FILES_DIR ?? resolve(dataDir, 'files')),
    signup: e.CHANTIER_SIGNUP ?? 'open',
    maxUploadBytes: (e.CHANTIER_MAX_UPLOAD_MB ?? 25) * 1024 * 1024,
    sessionTtlHours: e.CHANTIER_SESSION_TTL_HOURS ?? 24 * 14,
    logLevel: e.LOG_LEVEL ?? 'info',
    trustProxy: e.CHANTIER_TRUST_PROXY === 'true',
    publicUrl: (e.CHANTIER_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM ?? 'Chantier <no-reply@chantier.local>',
    worker: (e.CHANTIER_WORKER ?? 'on') === 'on',
    scheduler: (e.CHANTIER_SCHEDULER ?? 'on') === 'on',
    webhookAllowPrivate: e.CHANTIER_WEBHOOK_ALLOW_PRIVATE === 'true',
    publicOrigin: e.CHANTIER_PUBLIC_URL ? new URL(e.CHANTIER_PUBLIC_URL).origin : null,
    rateLimits: {
      signupPerHour: e.CHANTIER_RATE_LIMIT_SIGNUP ?? 20,
      loginPerMinute: e.CHANTIER_RATE_LIMIT_LOGIN ?? 60,
      apiPerMinute: e.CHANTIER_RATE_LIMIT_API ?? 6000,
    },
    secretKey: e.CHANTIER_SECRET_KEY ? secretKeyOf('CHANTIER_SECRET_KEY', e.CHANTIER_SECRET_KEY) : null,
    oldSecretKeys: (e.CHANTIER_SECRET_KEYS_OLD ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean)
      .map((k) => secretKeyOf('CHANTIER_SECRET_KEYS_OLD', k)),
    webDir: resolve(e.CHANTIER_WEB_DIR ?? fileURLToPath(new URL('../dist/web', import.meta.url))),
  };
}

/** The bare address of `Name <a@b.c>` or `a@b.c`, or null when it is not one. */
export function mailAddressOf(from: string): string | null {
  const m = /^(?:[^<>]*<\s*([^\s<>@]+@[^\s<>@]+)\s*>|([^\s<>@]+@[^\s<>@]+))$/.exec(from.trim());
  return m ? (m[1] ?? m[2]) : null;
}

/** A 32-byte AES-256 key written in base64 (`openssl rand -base64 32`). */
export function secretKeyOf(name: string, raw: string): Buffer {
  const key = Buffer.from(raw.trim(), 'base64');
  if (key.length !== 32 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw.trim())) {
    throw new ConfigError(`${name} must be 32 random bytes in base64 (e.g. the output of: openssl rand -base64 32)`);
  }
  return key;
}
