import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/index.ts';
import { createDeps } from '../../src/runtime.ts';

/** The server's /openapi.json, built in process on a throwaway in-memory store (nothing listens). */
export async function openapiDocument(): Promise<unknown> {
  const db = openDatabase({ url: ':memory:' });
  const deps = await createDeps(loadConfig({}), { db, log: pino({ level: 'silent' }) });
  const app = await buildApp(deps);
  try {
    await app.ready();
    return app.swagger();
  } finally {
    await app.close();
    await db.close();
  }
}

/** A stable fingerprint of the document; web/api/schema.d.ts records the one it was generated from. */
export const fingerprintOf = (doc: unknown): string => createHash('sha256').update(JSON.stringify(doc)).digest('hex');

export const FINGERPRINT_LINE = /^\/\/ openapi-sha256: ([0-9a-f]{64})$/m;
