import { CompiledQuery, createQueryId, PostgresAdapter, type Compilable, type QueryResult } from 'kysely';
import { WITH_COMMIT, WITH_NEXT } from './pg-prepared.ts';
import type { Executor } from './schema.ts';

/**
 * A hot query whose SQL never changes, only its values: built and compiled once per store, then
 * run with each call's values. Kysely builds and compiles every query on every call, and on a
 * transition that was the largest share of the server's CPU (profile, issue 10). `build` gets
 * placeholders for the arguments and MUST pass them only as values (where, set, values): never
 * choose a table, column or clause from them. With plugins installed (bench/sql-trace.ts) the
 * query is built the ordinary way, so every plugin still sees it.
 */
export function staticQuery<A extends unknown[], R>(
  build: (db: Executor, ...args: A) => Compilable<R>,
  options: StaticQueryOptions = {},
): (db: Executor, ...args: A) => Promise<QueryResult<R>> {
  const compiledByStore = new WeakMap<object, ReturnType<typeof compile>>();
  return (db, ...args) => {
    if (args.length > MAX_ARGS) throw new Error(`staticQuery takes at most ${MAX_ARGS} arguments`);
    const executor = db.getExecutor();
    if (executor.plugins.length > 0) return db.executeQuery(build(db, ...args));
    let compiled = compiledByStore.get(executor.adapter);
    if (!compiled) compiledByStore.set(executor.adapter, (compiled = compile(db, build, executor.adapter instanceof PostgresAdapter ? options : {})));
    const parameters = compiled.slots.map((s) => (typeof s === 'number' ? args[s] : s.value));
    // CompiledQuery.raw's shape, its query node made once: raw() froze three new objects a call.
    return db.executeQuery<R>({ sql: compiled.sql, query: compiled.node, parameters, queryId: createQueryId() });
  };
}

export interface StaticQueryOptions {
  /**
   * A write nobody reads the result of (it answers no row and no count), run inside a
   * transaction: on PostgreSQL it is sent with the transaction's COMMIT, in the same round trip
   * (pg-prepared.ts WITH_COMMIT), and a failure of it fails the COMMIT, which rolls the whole
   * transaction back. SQLite runs it at once (in process: no round trip to save), and so does
   * PostgreSQL outside a transaction, or with plugins installed.
   */
  withCommit?: boolean;
  /**
   * A write nobody reads the result of before the transaction's next statement, and which fails
   * by itself when it does not write what it must (`chantier_expect_rows`): on PostgreSQL it is
   * sent in the same round trip as that statement, or as the COMMIT (pg-prepared.ts WITH_NEXT),
   * and answered at once with no row. SQLite runs it at once, and so does PostgreSQL outside a
   * transaction, or with plugins installed.
   */
  withNext?: boolean;
}

// More than any caller passes (updateVersioned: the columns set, then three).
const MAX_ARGS = 64;

function compile<A extends unknown[], R>(db: Executor, build: (db: Executor, ...args: A) => Compilable<R>, marks: StaticQueryOptions) {
  // Placeholders no caller's value can equal; each compiled parameter is one of them (the
  // argument's position) or a constant of the query itself.
  // (More placeholders than any caller declares: the extra ones are ignored.)
  const args = Array.from({ length: MAX_ARGS }, (_, i) => `\u0000static-query-arg-${i}\u0000`) as unknown as A;
  const { sql, parameters } = build(db, ...args).compile();
  const slots = parameters.map((p) => {
    const i = typeof p === 'string' ? args.indexOf(p) : -1;
    return i >= 0 ? i : { value: p };
  });
  const mark = marks.withCommit ? WITH_COMMIT : marks.withNext ? WITH_NEXT : '';
  return { sql: mark + sql, slots, node: CompiledQuery.raw(sql).query };
}
