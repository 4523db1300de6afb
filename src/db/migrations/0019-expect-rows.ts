import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * PostgreSQL: `chantier_expect_rows(n, expected, what)` returns n when it equals expected and
 * otherwise fails the statement (SQLSTATE CH001, EXPECT_ROWS_FAILED). A write that checks its
 * own count this way needs nobody to read its answer, so the connection may send it with the
 * transaction's next statement or with its COMMIT (db/pg-prepared.ts WITH_NEXT): a wrong count
 * aborts the transaction there, and the COMMIT with it. SQLite runs every statement in process
 * and reads each answer: nothing to add.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`create function chantier_expect_rows(n bigint, expected bigint, what text) returns bigint
    language plpgsql as $$
    begin
      if n is distinct from expected then
        raise exception '% wrote % rows where it must write %', what, n, expected using errcode = 'CH001';
      end if;
      return n;
    end $$`.execute(db);
}
