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
 * write marked WITH_NEXT (with the statement after it, or the COMMIT) or WITH_COMMIT.
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
    let inTransaction = false;
    // The open transaction's BEGIN, until a statement carries it (AfterHeld).
    let begin: string | undefined;
    // The writes held for the transaction's next statement (WITH_NEXT), and for its COMMIT (WITH_COMMIT), in order.
    const ahead: Statement[] = [];
    const atCommit: Statement[] = [];
    const takeBegin = () => {
      const text = begin;
      begin = undefined;
      return text;
    };
    /** Sends `main` in one message after the BEGIN (if still held) and `writes`; answers main's result. */
    const sendAfter = (writes: Statement[], main: Statement & { queryMode?: 'extended' }) => {
      const pending = takeBegin();
      return new Promise<pg.QueryResult>((resolve, reject) => {
        client.query(AfterHeld.of(pending, writes, main, (err, res) => (err ? reject(err) : resolve(lastOf(res)))) as never);
      });
    };
    /** Sends what is held for the next statement now, before a statement that cannot carry it. */
    const sendHeld = async () => {
      const writes = ahead.splice(0);
      if (writes.length > 0) await sendAfter(writes.slice(0, -1), writes[writes.length - 1]);
      else if (begin !== undefined) await client.query(takeBegin()!);
    };
    return {
      query(textOrCursor: unknown, parameters?: readonly unknown[]) {
        if (typeof textOrCursor !== 'string') {
          // A cursor (Kysely's streaming, which this store's dialect is not given): after what is held, in pg's queue.
          sendHeld().catch(() => undefined); // the cursor fails too on a broken connection
          return client.query(textOrCursor as never);
        }
        let text = textOrCursor;
        const values = (parameters ?? []) as unknown[];
        if (text.startsWith(WITH_COMMIT) || text.startsWith(WITH_NEXT)) {
          const forCommit = text.startsWith(WITH_COMMIT);
          text = text.slice((forCommit ? WITH_COMMIT : WITH_NEXT).length);
          // Held by its name when it is parsed on this connection. A write for the COMMIT that is
          // not goes unnamed (parsed in the COMMIT's message); one for the next statement runs now,
          // named, so that it is parsed for the next time. Outside a transaction it runs now.
          const name = nameOf(text, values);
          const parsed = name !== undefined && parsedOn(client, name) === text;
          if (inTransaction && (parsed || forCommit)) {
            (forCommit ? atCommit : ahead).push({ name: parsed ? name : undefined, text, values });
            return Promise.resolve(HELD);
          }
        } else if (text === 'begin' || text.startsWith('start transaction')) {
          inTransaction = true;
          begin = text; // sent with the first statement
          return Promise.resolve(answer('BEGIN'));
        } else if (text === 'commit' || text === 'rollback') {
          inTransaction = false;
          // A ROLLBACK drops what is held, unsent.
          const held = [...ahead.splice(0), ...atCommit.splice(0)];
          const writes = text === 'commit' ? held : [];
          // A transaction that sent nothing has nothing to end.
          if (writes.length === 0 && takeBegin() !== undefined) return Promise.resolve(answer(text === 'commit' ? 'COMMIT' : 'ROLLBACK'));
          // One message: the held writes, then COMMIT. A write that fails (WITH_NEXT writes check
          // their own count) aborts the transaction: PostgreSQL skips the COMMIT, and the caller
          // rolls back. Answered as the COMMIT alone would be.
          if (writes.length > 0) return sendAfter(writes, { name: undefined, text, values: [], queryMode: 'extended' });
          return client.query(text);
        }
        const name = nameOf(text, values);
        const run = () => (name ? sendNamed(client, { name, text, values }) : client.query(text, values));
        if (begin === undefined && ahead.length === 0) return run();
        // The BEGIN and the writes held for this statement go in its message when it goes by the
        // extended protocol (it has values) and, if named, is already parsed on this connection
        // (pg would count a held statement's ParseComplete as its own, see AfterHeld).
        // Otherwise they go first, then the statement, as pg sends queued queries.
        if (values.length > 0 && (name === undefined || parsedOn(client, name) === text)) return sendAfter(ahead.splice(0), { name, text, values });
        return sendHeld().then(run);
      },
      release: (err?: Error | boolean) => {
        ahead.length = 0;
        atCommit.length = 0;
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
 * The mark of a write sent with the transaction's next statement (staticQuery's `withNext`): held
 * by its connection and answered at once with no row; the next statement carries it in its
 * message (or the COMMIT does), and PostgreSQL runs it first, so the statement sees what it
 * wrote. Nobody reads its answer, so it MUST fail by itself when it does not write what it must
 * (`chantier_expect_rows`, migration 0019): the transaction is then aborted before anything after
 * it runs, its COMMIT included.
 */
export const WITH_NEXT = '/* with next */ ';

/** The answer to a write the connection holds instead of sending. */
const HELD = { command: 'SELECT', rowCount: 0, rows: [], fields: [] };

/** A statement as pg takes it: a name when prepared (see preparingPool), its text, its values. */
interface Statement {
  name: string | undefined;
  text: string;
  values: unknown[];
}

/** The answer to a statement the connection does not send (a BEGIN, a transaction's end when it sent nothing). */
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
  describe(config: object): void;
  execute(config?: object): void;
}
type Callback = (err: Error | null, results: pg.QueryResult | pg.QueryResult[]) => void;
const PgQuery = (pg as unknown as { Query: new (text: string, values: unknown[], callback: Callback) => PgQuery }).Query;

/**
 * A query for `statement`, made from its text and values (pg copies a query given as an object,
 * property by property through their descriptors, for every statement: 5 µs each), then named.
 */
function queryFor<Q extends PgQuery>(
  Make: new (text: string, values: unknown[], callback: Callback) => Q,
  statement: Statement & { queryMode?: 'extended' },
  callback: Callback,
): Q {
  const query = new Make(statement.text, statement.values, callback);
  Object.assign(query, { name: statement.name, queryMode: statement.queryMode });
  return query;
}

/** A named statement, sent as its own message. */
const sendNamed = (client: pg.PoolClient, statement: Statement) =>
  new Promise<pg.QueryResult>((resolve, reject) => {
    client.query(queryFor(PgQuery, statement, (err, res) => (err ? reject(err) : resolve(lastOf(res)))) as never);
  });

const requirePg = createRequire(import.meta.url);

/** pg's own mapping of a JS value to a parameter's text (Dates, arrays, objects as JSON…), which its typings do not export. */
const prepareValue = (requirePg('pg/lib/utils.js') as { prepareValue: (v: unknown) => unknown }).prepareValue;

/** pg's result of one statement: the parts its row reading uses, which pg exports untyped. */
interface PgResult {
  fields: { name: string; dataTypeID: number; format?: string }[];
  _parsers: ((raw: unknown) => unknown)[] | undefined;
  _types: { getTypeParser(oid: number, format: string): (raw: unknown) => unknown } | undefined;
}

/**
 * Rows read as pg reads them, minus its cost: pg 8 builds, for every statement answered with
 * columns, an empty row from an `Object.create(null)` object (which V8 keeps as a dictionary),
 * then copies it for every row. Those copies were 6% of the server's CPU on a consolidating
 * completion (issue 10: 96 µs for `addFields`, 27 µs for `parseRow`). Here a row is a plain object
 * given each column in order: the same keys, in the same order (a repeated name keeps its first
 * place and its last value), the same values from the same type parsers. Rows as arrays
 * (`rowMode: 'array'`) are pg's own, untouched.
 */
function readRowsFaster(): void {
  const Result = requirePg('pg/lib/result.js') as { prototype: PgResult & Record<string, unknown> };
  Result.prototype.addFields = function addFields(this: PgResult, fields: PgResult['fields']) {
    this.fields = fields;
    const parsers = new Array<(raw: unknown) => unknown>(fields.length);
    for (let i = 0; i < fields.length; i++) {
      const format = fields[i].format || 'text';
      parsers[i] = this._types ? this._types.getTypeParser(fields[i].dataTypeID, format) : pg.types.getTypeParser(fields[i].dataTypeID, format as 'text');
    }
    if (fields.length) this._parsers = parsers;
  };
  Result.prototype.parseRow = function parseRow(this: PgResult, values: unknown[]) {
    const row: Record<string, unknown> = {};
    const fields = this.fields;
    const parsers = this._parsers!;
    for (let i = 0; i < fields.length; i++) {
      const raw = values[i];
      row[fields[i].name] = raw == null ? null : parsers[i](fields[i].format === 'binary' ? Buffer.from(raw as Buffer) : raw);
    }
    return row;
  };
}
readRowsFaster();

/**
 * A statement sent in one message with what its connection held for it: its transaction's BEGIN
 * and the writes held for it (WITH_NEXT, or WITH_COMMIT when the statement is the COMMIT), each
 * as Bind and Execute (with a Parse first when it is not a statement already parsed on the
 * connection: unnamed), then the statement's own messages and the one Sync that ends them all
 * (pg corks the socket around them: one write, one answer). PostgreSQL runs them in order; an
 * error skips to the Sync, the rest unrun. pg reads the answers as a query of several
 * statements, in that order (lastOf). A held statement's ParseComplete reaches pg as the
 * statement's own, and pg then counts a named statement as parsed: only one already parsed, or
 * unnamed, goes this way.
 */
class AfterHeld extends PgQuery {
  private begin: string | undefined;
  /** The writes it carries, in order (read by tests). */
  held: Statement[] = [];

  static of(begin: string | undefined, held: Statement[], main: Statement & { queryMode?: 'extended' }, callback: Callback): AfterHeld {
    const query = queryFor(AfterHeld, main, callback);
    query.begin = begin;
    query.held = held;
    return query;
  }

  override prepare(connection: PgConnection): void {
    if (this.begin) {
      connection.parse({ text: this.begin });
      connection.bind();
      connection.execute();
    }
    for (const write of this.held) {
      if (write.name === undefined) connection.parse({ text: write.text });
      connection.bind({ statement: write.name, values: write.values, valueMapper: prepareValue });
      connection.describe({ type: 'P', name: '' }); // its columns, for pg to read its rows
      connection.execute();
    }
    super.prepare(connection);
  }
}

// A multi-statement message answers a result per statement.
const lastOf = (results: pg.QueryResult | pg.QueryResult[]) => (Array.isArray(results) ? results[results.length - 1] : results);
