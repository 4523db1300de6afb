// Raw SQLite commit rate with Chantier's settings (WAL, BEGIN IMMEDIATE through Kysely), one
// small write transaction per commit: synchronous=FULL (the default: every commit reaches the
// disk before it is answered) beside synchronous=NORMAL (what it was: WAL commits may be lost on
// power loss), so the cost of durability is measured on this machine's disk. With several
// transactions in flight (N writers, each starting its next transaction when its last one is
// answered), group commit (src/db/sqlite-dialect.ts) answers many with one COMMIT and one fsync.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type Db } from '../src/db/open.ts';

export interface DurableCommitResult {
  synchronous: 'FULL' | 'NORMAL';
  /** Transactions waiting or running at once (1: one at a time). */
  inFlight: number;
  commits: number;
  ms: number;
}

const RUNS = [
  { synchronous: 'FULL', inFlight: 1 },
  { synchronous: 'FULL', inFlight: 8 },
  { synchronous: 'FULL', inFlight: 32 },
  { synchronous: 'NORMAL', inFlight: 1 },
] as const;

export async function benchDurableCommits(commits: number): Promise<DurableCommitResult[]> {
  const results: DurableCommitResult[] = [];
  for (const { synchronous, inFlight } of RUNS) {
    const dir = mkdtempSync(join(tmpdir(), 'chantier-commits-'));
    const db = openDatabase({ url: join(dir, 'bench.db') });
    try {
      if (synchronous === 'NORMAL') await sql.raw('pragma synchronous = NORMAL').execute(db.kysely);
      await sql`create table t (id integer primary key, v text not null)`.execute(db.kysely);
      const t0 = performance.now();
      await commitEach(db, commits, inFlight);
      results.push({ synchronous, inFlight, commits, ms: performance.now() - t0 });
      const n = (await sql<{ n: number }>`select count(*) as n from t`.execute(db.kysely)).rows[0].n;
      if (n !== commits) throw new Error(`durable commits: ${n} rows, expected ${commits}`);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}

/** `commits` transactions of one insert each, `inFlight` writers at a time. */
async function commitEach(db: Db, commits: number, inFlight: number): Promise<void> {
  let started = 0;
  const writer = async () => {
    while (started < commits) {
      const i = started++;
      await db.kysely.transaction().execute((trx) => sql`insert into t (v) values (${`row ${i}`})`.execute(trx));
    }
  };
  await Promise.all(Array.from({ length: inFlight }, writer));
}
