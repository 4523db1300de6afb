import type { Config } from '../config.ts';
import { isPostgresUrl } from '../db/index.ts';

/** What a server or worker says at start about where it keeps and sends things — never a password. */

/** `PostgreSQL db@host:5432` or `SQLite /path/chantier.db`. */
export function describeStore(config: Pick<Config, 'databaseUrl'>): string {
  if (!isPostgresUrl(config.databaseUrl)) return `SQLite ${config.databaseUrl}`;
  const u = new URL(config.databaseUrl);
  return `PostgreSQL ${u.pathname.replace(/^\//, '') || '(default database)'}@${u.hostname}:${u.port || 5432}`;
}

/** `SMTP smtp://host:587` or `.eml files in data/outbox`. */
export function describeMail(config: Pick<Config, 'smtpUrl' | 'dataDir'>): string {
  if (!config.smtpUrl) return `.eml files in ${config.dataDir}/outbox (no SMTP_URL)`;
  const u = new URL(config.smtpUrl);
  return `SMTP ${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}`;
}

/** Why `listen` failed, in words an operator acts on. */
export function listenFailure(err: unknown, config: Pick<Config, 'host' | 'port'>): string {
  const code = (err as { code?: unknown } | null)?.code;
  const where = `${config.host}:${config.port}`;
  if (code === 'EADDRINUSE') return `cannot listen on ${where}: the port is already in use (EADDRINUSE); stop the other process or choose another PORT`;
  if (code === 'EACCES') return `cannot listen on ${where}: permission denied (EACCES); use a PORT above 1023 or give the process the right`;
  if (code === 'EADDRNOTAVAIL') return `cannot listen on ${where}: HOST is not an address of this machine (EADDRNOTAVAIL)`;
  return `cannot listen on ${where}: ${err instanceof Error ? err.message : String(err)}`;
}
