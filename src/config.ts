import { resolve } from 'node:path';
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
  };
}

function int(env: NodeJS.ProcessEnv, name: string, dflt: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}`);
  return n;
}
