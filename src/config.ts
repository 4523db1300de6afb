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
    smtpUrl,
    mailFrom,
    worker: worker === 'on',
    scheduler: scheduler === 'on',
    webhookAllowPrivate: webhookAllowPrivate === 'true',
    webDir: resolve(env.CHANTIER_WEB_DIR ?? fileURLToPath(new URL('../dist/web', import.meta.url))),
  };
}

/** The bare address of `Name <a@b.c>` or `a@b.c`, or null when it is not one. */
export function mailAddressOf(from: string): string | null {
  const m = /^(?:[^<>]*<\s*([^\s<>@]+@[^\s<>@]+)\s*>|([^\s<>@]+@[^\s<>@]+))$/.exec(from.trim());
  return m ? (m[1] ?? m[2]) : null;
}

function int(env: NodeJS.ProcessEnv, name: string, dflt: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}`);
  return n;
}
