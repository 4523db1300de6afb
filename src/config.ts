import { resolve } from 'node:path';
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
  /** The built web app served at / (CHANTIER_WEB_DIR; default dist/web in the package). */
  webDir: string;
  /** Requests allowed: sign-ups per client address per hour, logins per address per minute, API calls per credential per minute. */
  rateLimits: { signupPerHour: number; loginPerMinute: number; apiPerMinute: number };
  /** CHANTIER_SECRET_KEY: encrypts webhook secrets at rest (null: a key file under dataDir, made on first start). */
  secretKey: Buffer | null;
  /** CHANTIER_SECRET_KEYS_OLD: earlier keys, to decrypt secrets that start-up re-encrypts with the current one. */
  oldSecretKeys: Buffer[];
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(env.CHANTIER_DATA_DIR ?? './data');
  const databaseUrl = env.DATABASE_URL?.trim() || resolve(dataDir, 'chantier.db');
  const port = int(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST ?? '0.0.0.0';
  const signup = env.CHANTIER_SIGNUP ?? 'open';
  if (signup !== 'open' && signup !== 'closed') throw new ConfigError('CHANTIER_SIGNUP must be "open" or "closed"');
  if (env.DATABASE_URL && !isPostgresUrl(databaseUrl) && /^\w+:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// URL (or unset for the embedded SQLite store)');
  }
  const smtpUrl = env.SMTP_URL?.trim() || null;
  if (smtpUrl && !(URL.canParse(smtpUrl) && /^smtps?:$/.test(new URL(smtpUrl).protocol) && new URL(smtpUrl).hostname)) throw new ConfigError('SMTP_URL must look like smtp://user:pass@host:587 or smtps://host:465');
  const mailFrom = env.MAIL_FROM?.trim() || 'Chantier <no-reply@chantier.local>';
  if (!mailAddressOf(mailFrom)) throw new ConfigError('MAIL_FROM must be an address, e.g. "Chantier <no-reply@example.com>"');
  const worker = env.CHANTIER_WORKER ?? 'on';
  if (worker !== 'on' && worker !== 'off') throw new ConfigError('CHANTIER_WORKER must be "on" or "off"');
  const scheduler = env.CHANTIER_SCHEDULER ?? 'on';
  if (scheduler !== 'on' && scheduler !== 'off') throw new ConfigError('CHANTIER_SCHEDULER must be "on" or "off"');
  const webhookAllowPrivate = env.CHANTIER_WEBHOOK_ALLOW_PRIVATE ?? 'false';
  if (webhookAllowPrivate !== 'true' && webhookAllowPrivate !== 'false') throw new ConfigError('CHANTIER_WEBHOOK_ALLOW_PRIVATE must be "true" or "false"');
  return {
    port,
    host,
    databaseUrl,
    dataDir,
    filesDir: resolve(env.CHANTIER_FILES_DIR ?? resolve(dataDir, 'files')),
    signup,
    maxUploadBytes: int(env, 'CHANTIER_MAX_UPLOAD_MB', 25, 1, 10_000) * 1024 * 1024,
    sessionTtlHours: int(env, 'CHANTIER_SESSION_TTL_HOURS', 24 * 14, 1, 24 * 365),
    logLevel: env.LOG_LEVEL ?? 'info',
    trustProxy: env.CHANTIER_TRUST_PROXY === 'true',
    publicUrl: env.CHANTIER_PUBLIC_URL ?? `http://localhost:${port}`,
    publicOrigin: env.CHANTIER_PUBLIC_URL && URL.canParse(env.CHANTIER_PUBLIC_URL) ? new URL(env.CHANTIER_PUBLIC_URL).origin : null,
    smtpUrl,
    mailFrom,
    worker: worker === 'on',
    scheduler: scheduler === 'on',
    webhookAllowPrivate: webhookAllowPrivate === 'true',
    webDir: resolve(env.CHANTIER_WEB_DIR ?? fileURLToPath(new URL('../dist/web', import.meta.url))),
    rateLimits: {
      signupPerHour: int(env, 'CHANTIER_RATE_LIMIT_SIGNUP', 20, 1, 1e9),
      loginPerMinute: int(env, 'CHANTIER_RATE_LIMIT_LOGIN', 60, 1, 1e9),
      apiPerMinute: int(env, 'CHANTIER_RATE_LIMIT_API', 6000, 1, 1e9),
    },
    secretKey: env.CHANTIER_SECRET_KEY ? secretKeyOf('CHANTIER_SECRET_KEY', env.CHANTIER_SECRET_KEY) : null,
    oldSecretKeys: (env.CHANTIER_SECRET_KEYS_OLD ?? '').split(',').map((k) => k.trim()).filter(Boolean).map((k) => secretKeyOf('CHANTIER_SECRET_KEYS_OLD', k)),
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

function int(env: NodeJS.ProcessEnv, name: string, dflt: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}`);
  return n;
}
