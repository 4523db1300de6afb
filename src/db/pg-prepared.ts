import type { PostgresPool, PostgresPoolClient } from 'kysely';
import { createRequire } from 'node:module';
import pg from 'pg';

/** Statements longer than this, or with more parameters, run unnamed (bulk inserts: one-off texts, large plans). */
const MAX_TEXT = 4096;
const MAX_PARAMETERS = 64;

/**
 * The pool Kysely queries through, running each statement as a named (prepared) statement.
 *
 * Kysely sends every query as an unnamed statement, which PostgreSQL parses, analyses and plans
 * again at each execution: for the short statements of a transition that was more than half of
 * a round trip (measured here: 165 µs a query unnamed, 70 µs named). A named statement is parsed
 * once per connection (node-postgres remembers which connection has which) and then planned by
 * PostgreSQL's plan cache, which keeps a generic plan once it costs no more than the custom
 * ones. A generic plan made while a table was small would be kept as the table grows: open.ts
 * replaces each connection after `pgConnectionLifetimeSeconds`, so plans are made again with the
 * tables as they are (planning every execution instead, `force_custom_plan`, cost a third of the
 * completion rate).
 * Names come from the text, one per distinct text in
 * this process, so a name never means two statements. Parameterless statements (BEGIN, COMMIT,
 * migrations' DDL) and large ones (bulk inserts, whose texts vary with their row count) stay
 * unnamed, and at most `maxNames` texts get a name, so the statements kept on each server
 * connection stay bounded.
 *
 * A transaction's BEGIN is not sent on its own: it goes with the transaction's first statement,
 * in the same message (see AfterHeld), which saves a round trip on every transaction. So does a
 * write marked WITH_NEXT, with the statement after it.
 *
 * What this asks of the deployment: a pooler in front of PostgreSQL must keep protocol-level
 * prepared statements (PgBouncer 1.21+ with `max_prepared_statements`), and a process started
 * before a migration that changes a table's columns should be restarted after it (PostgreSQL
 * answers "cached plan must not change result type" for a `select *` prepared before).
 */
export function preparingPool(pool: pg.Pool, maxNames = 2000): PostgresPool {
  const names = new Map<string, string>();
  const nameOf = (text: string, parameters: readonly unknown[]): string | undefined => {
    if (parameters.length === 0 || parameters.length > MAX_PARAMETERS || text.length > MAX_TEXT) return undefined;
    let name = names.get(text);
    if (!name && names.size < maxNames) {
      name = `chantier_${names.size + 1}`;
      names.set(text, name);
    }
    return name;
  };
  // Kysely keeps its connection objects by client: one wrapper per pg client, for its whole life.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    // The writes held for the open transaction's COMMIT (WITH_COMMIT), as text with their values.
    const held: string[] = [];
    let inTransaction = false;
    // The open transaction's BEGIN, until its first statement carries it (AfterHeld).
    let begin: string | undefined;
    // The writes held for the transaction's next statement (WITH_NEXT), in order.
    const ahead: Statement[] = [];
    const takeBegin = () => {
      const text = begin;
      begin = undefined;
      return text;
    };
    /** Sends `main` with the BEGIN and the writes held before it, in one message; checks each held write's count. */
    const sendAfterHeld = (pending: string | undefined, held: Statement[], main: Statement) =>
      new Promise<pg.QueryResult>((resolve, reject) => {
        const query = new AfterHeld(pending, held, main, (err, res) => {
          if (err) return reject(err);
          const results = Array.isArray(res) ? res : [res];
          const first = pending ? 1 : 0;
          const wrong = held.findIndex((_, i) => results[first + i].rowCount !== 1);
          if (wrong >= 0) return reject(new HeldWriteError(results[first + wrong].rowCount));
          resolve(results[results.length - 1]);
        });
        client.query(query as never);
      });
    /** Sends what is held (the BEGIN, the writes for the next statement) now, before a statement that cannot carry it. */
    const sendHeld = async () => {
      const held = ahead.splice(0);
      const pending = takeBegin();
      if (held.length === 0) {
        if (pending) await client.query(pending);
        return;
      }
      const last = await sendAfterHeld(pending, held.slice(0, -1), held[held.length - 1]);
      if (last.rowCount !== 1) throw new HeldWriteError(last.rowCount);
    };
    return {
      query(textOrCursor: unknown, parameters?: readonly unknown[]) {
        if (typeof textOrCursor !== 'string') {
          // A cursor (Kysely's streaming, which this store's dialect is not given): after what is held, in pg's queue.
          const sent = sendHeld();
          sent.catch(() => undefined); // the cursor fails too on a broken connection
          return client.query(textOrCursor as never);
        }
        let text = textOrCursor;
        const values = (parameters ?? []) as unknown[];
        if (text.startsWith(WITH_COMMIT)) {
          text = text.slice(WITH_COMMIT.length);
          if (inTransaction) {
            held.push(withValues(text, values));
            return Promise.resolve(answer('INSERT', 0));
          }
          // Outside a transaction there is no COMMIT to carry it: it runs now.
        } else if (text.startsWith(WITH_NEXT)) {
          text = text.slice(WITH_NEXT.length);
          const name = nameOf(text, values);
          // Held when it can ride with the next statement without a Parse of its own (see AfterHeld).
          if (inTransaction && name !== undefined && parsedOn(client, name) === text) {
            ahead.push({ name, text, values });
            return Promise.resolve(answer('UPDATE', 1));
          }
        } else if (text === 'begin' || text.startsWith('start transaction')) {
          inTransaction = true;
          begin = text; // sent with the first statement
          return Promise.resolve(answer('BEGIN'));
        } else if (text === 'commit' || text === 'rollback') {
          inTransaction = false;
          const end = text;
          const finish = (): Promise<unknown> => {
            const writes = held.splice(0);
            const pending = takeBegin();
            // One message, the simple protocol's: the writes, then COMMIT, in the transaction. A
            // write that fails aborts the transaction and skips the COMMIT; the caller rolls back.
            // Answered as the COMMIT alone would be (Kysely reads its tag: ROLLBACK if aborted).
            if (end === 'commit' && writes.length > 0) return client.query(`${pending ? `${pending};\n` : ''}${writes.join(';\n')};\ncommit`).then(lastOf);
            // A transaction that sent nothing has nothing to end.
            if (pending) return Promise.resolve(answer(end === 'commit' ? 'COMMIT' : 'ROLLBACK'));
            return client.query(end);
          };
          // The writes held for a next statement go before the COMMIT, checked, never with it: a
          // COMMIT in their message would commit even when one changed no row. A ROLLBACK drops them.
          if (end === 'rollback') ahead.length = 0;
          return ahead.length > 0 ? sendHeld().then(finish) : finish();
        }
        const name = nameOf(text, values);
        const run = () => (name ? client.query({ name, text, values }) : client.query(text, values));
        if (begin === undefined && ahead.length === 0) return run();
        // The BEGIN and the held writes go in this statement's message when it goes by the
        // extended protocol (it has values) and, if named, is already parsed on this connection
        // (pg would count the BEGIN's ParseComplete as the statement's own, see AfterHeld).
        // Otherwise they go first, then the statement, as pg sends queued queries.
        if (values.length > 0 && (name === undefined || parsedOn(client, name) === text)) {
          return sendAfterHeld(takeBegin(), ahead.splice(0), { name, text, values });
        }
        return sendHeld().then(run);
      },
      release: (err?: Error | boolean) => {
        held.length = 0;
        ahead.length = 0;
        inTransaction = false;
        begin = undefined;
        client.release(err);
      },
    } as unknown as PostgresPoolClient;
  };
  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = wrap(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}

/**
 * The mark of a write sent with the transaction's COMMIT (staticQuery's `withCommit`): a statement
 * whose text starts with it is held by its connection, not sent, and answered at once with no
 * row; the COMMIT then carries it, in the same round trip. Only for a write nobody reads the
 * result of, in a transaction.
 */
export const WITH_COMMIT = '/* with commit */ ';

/**
 * The mark of a write sent with the transaction's next statement (staticQuery's `withNext`): in
 * a transaction, once parsed on the connection, it is held and answered at once as having
 * changed one row; the next statement then carries it in the same message (one round trip
 * instead of two). PostgreSQL runs it first, so the statement sees what it wrote. It MUST change
 * exactly one row: another count fails the next statement with HeldWriteError, and with it the
 * transaction, before any COMMIT is sent (a COMMIT never carries it: it goes first, and is
 * checked). For a write whose count the caller cannot doubt, such as one on a row it has locked.
 */
export const WITH_NEXT = '/* with next */ ';

/** A write held for the next statement (WITH_NEXT) did not change exactly one row: the transaction fails. */
export class HeldWriteError extends Error {
  readonly code = 'CHANTIER_HELD_WRITE';
  constructor(rowCount: number | null) {
    super(`a write sent with the next statement changed ${rowCount} rows where it must change one`);
    this.name = 'HeldWriteError';
  }
}

/** A statement as pg takes it: a name when prepared (see preparingPool), its text, its values. */
interface Statement {
  name: string | undefined;
  text: string;
  values: unknown[];
}

/** The answer to a statement the wrapper holds (a write for the COMMIT, a BEGIN) instead of sending. */
const answer = (command: string, rowCount: number | null = null) => ({ command, rowCount, rows: [], fields: [] });

/** The text pg has parsed under `name` on this client's connection (pg keeps it, untyped). */
const parsedOn = (client: pg.PoolClient, name: string) =>
  (client.connection as unknown as { parsedStatements: Record<string, string | undefined> }).parsedStatements[name];

/** pg's query (the extended protocol's messages, and the reading of their answers), which pg exports untyped. */
interface PgQuery {
  prepare(connection: PgConnection): void;
}
interface PgConnection {
  parse(query: { text: string; name?: string }): void;
  bind(config?: object): void;
  execute(config?: object): void;
}
type Callback = (err: Error | null, results: pg.QueryResult | pg.QueryResult[]) => void;
const PgQuery = (pg as unknown as { Query: new (config: pg.QueryConfig, values: undefined, callback: Callback) => PgQuery }).Query;

/** pg's own mapping of a JS value to a parameter's text (Dates, arrays, objects as JSON…), which its typings do not export. */
const prepareValue = (createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue: (v: unknown) => unknown }).prepareValue;

/**
 * A statement sent in one message with what its connection held for it: its transaction's BEGIN
 * (Parse, Bind and Execute, unnamed) and the writes held for it (WITH_NEXT: Bind and Execute of
 * each, already parsed), then the statement's own messages and the one Sync that ends them all
 * (pg corks the socket around them: one write, one answer). PostgreSQL runs them in order; an
 * error skips to the Sync, as for the statement alone. pg reads the answers as a query of
 * several statements, in that order. The BEGIN's ParseComplete reaches pg as the statement's
 * own, and pg then counts a named statement as parsed: only one already parsed goes this way.
 */
class AfterHeld extends PgQuery {
  constructor(
    private readonly begin: string | undefined,
    private readonly held: Statement[],
    main: Statement,
    callback: Callback,
  ) {
    super(main, undefined, callback);
  }

  override prepare(connection: PgConnection): void {
    if (this.begin) {
      connection.parse({ text: this.begin });
      connection.bind();
      connection.execute();
    }
    for (const write of this.held) {
      connection.bind({ statement: write.name, values: write.values, valueMapper: prepareValue });
      connection.execute();
    }
    super.prepare(connection);
  }
}

// A multi-statement message answers a result per statement.
const lastOf = (results: pg.QueryResult | pg.QueryResult[]) => (Array.isArray(results) ? results[results.length - 1] : results);

/**
 * `text` with its $n placeholders replaced by its values as SQL literals (the simple protocol
 * takes no parameters). The text is a statement built by Kysely: its only literals are its
 * values, so a $n outside one cannot occur; a quote in it is refused all the same.
 */
function withValues(text: string, values: readonly unknown[]): string {
  if (text.includes("'")) throw new Error('a write sent with COMMIT must take every literal as a value');
  return text.replace(/\$(\d+)/g, (_, n: string) => literal(values[Number(n) - 1]));
}

function literal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`not a SQL number: ${v}`);
    return String(v);
  }
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return pg.escapeLiteral(typeof v === 'string' ? v : JSON.stringify(v));
}
