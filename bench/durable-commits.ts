// Raw SQLite commit rate, one small write transaction per commit (WAL, BEGIN IMMEDIATE through
// Kysely and the group-commit driver): with Chantier's settings (synchronous=NORMAL and the
// driver's fsync of the WAL off the event loop before answering, src/db/open.ts) beside
// synchronous=FULL (the fsync inside COMMIT, on the event loop) and NORMAL without any fsync
// (a power loss may undo answered commits), so the cost of durability is measured on this
// machine's disk. With several transactions in flight (N writers, each starting its next
// transaction when its last one is answered), group commit answers many with one fsync.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/open.ts';
import { ImmediateSqliteDialect } from '../src/db/sqlite-dialect.ts';
import { withStatementCache } from '../src/db/statement-cache.ts';
import { ObservedKysely } from '../src/db/transaction-context.ts';

/** chantier: what open.ts does; full: synchronous=FULL, no sync by the driver; normal: NORMAL and no fsync at all. */
export type Durability = 'chantier' | 'full' | 'normal';

export interface DurableCommitResult {
  durability: Durability;
  /** Transactions waiting or running at once (1: one at a time). */
  inFlight: number;
  commits: number;
  ms: number;
}

const RUNS: { durability: Durability; inFlight: number }[] = [
  { durability: 'chantier', inFlight: 1 },
  { durability: 'chantier', inFlight: 8 },
  { durability: 'chantier', inFlight: 32 },
  { durability: 'full', inFlight: 1 },
  { durability: 'normal', inFlight: 1 },
];

export async function benchDurableCommits(commits: number): Promise<DurableCommitResult[]> {
  const results: DurableCommitResult[] = [];
  for (const { durability, inFlight } of RUNS) {
    const dir = mkdtempSync(join(tmpdir(), 'chantier-commits-'));
    const db = open(join(dir, 'bench.db'), durability);
    try {
      await sql`create table t (id integer primary key, v text not null)`.execute(db);
      const t0 = performance.now();
      await commitEach(db, commits, inFlight);
      results.push({ durability, inFlight, commits, ms: performance.now() - t0 });
      const n = (await sql<{ n: number }>`select count(*) as n from t`.execute(db)).rows[0].n;
      if (n !== commits) throw new Error(`durable commits: ${n} rows, expected ${commits}`);
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}

type Bench = ObservedKysely<{ t: { id: number; v: string } }>;

function open(file: string, durability: Durability): Bench {
  if (durability === 'chantier') return openDatabase({ url: file }).kysely as unknown as Bench;
  const raw = new SQLite(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma(durability === 'full' ? 'synchronous = FULL' : 'synchronous = NORMAL');
  const openReader = () => withStatementCache(new SQLite(file, { readonly: true }));
  return new ObservedKysely({ dialect: new ImmediateSqliteDialect(withStatementCache(raw), () => raw.inTransaction, { openReader }) });
}

/** `commits` transactions of one insert each, `inFlight` writers at a time. */
async function commitEach(db: Bench, commits: number, inFlight: number): Promise<void> {
  let started = 0;
  const writer = async () => {
    while (started < commits) {
      const i = started++;
      await db.transaction().execute((trx) => sql`insert into t (v) values (${`row ${i}`})`.execute(trx));
    }
  };
  await Promise.all(Array.from({ length: inFlight }, writer));
}
