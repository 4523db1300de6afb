import type { PostgresPool, PostgresPoolClient } from 'kysely';
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
 * in the same message (see BeginThen), which saves a round trip on every transaction.
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
    // The open transaction's BEGIN, until its first statement carries it (BeginThen).
    let begin: string | undefined;
    const takeBegin = () => {
      const text = begin;
      begin = undefined;
      return text;
    };
    return {
      query(textOrCursor: unknown, parameters?: readonly unknown[]) {
        if (typeof textOrCursor !== 'string') {
          // A cursor (Kysely's streaming, which this store's dialect is not given): after its BEGIN, in pg's queue.
          const pending = takeBegin();
          if (pending) void client.query(pending).catch(() => undefined); // the cursor fails too on a broken connection
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
        } else if (text === 'begin' || text.startsWith('start transaction')) {
          inTransaction = true;
          begin = text; // sent with the first statement
          return Promise.resolve(answer('BEGIN'));
        } else if (text === 'commit' || text === 'rollback') {
          inTransaction = false;
          const writes = held.splice(0);
          const pending = takeBegin();
          // One message, the simple protocol's: the writes, then COMMIT, in the transaction. A
          // write that fails aborts the transaction and skips the COMMIT; the caller rolls back.
          // Answered as the COMMIT alone would be (Kysely reads its tag: ROLLBACK if aborted).
          if (text === 'commit' && writes.length > 0) return client.query(`${pending ? `${pending};\n` : ''}${writes.join(';\n')};\ncommit`).then(lastOf);
          // A transaction that sent nothing has nothing to end.
          if (pending) return Promise.resolve(answer(text === 'commit' ? 'COMMIT' : 'ROLLBACK'));
        }
        const name = nameOf(text, values);
        const pending = takeBegin();
        if (pending) {
          // The BEGIN and this statement in one message, when the statement goes by the extended
          // protocol (it has values) and, if named, is already parsed on this connection (pg
          // would count the BEGIN's ParseComplete as the statement's own, see BeginThen).
          // Otherwise one after the other, as pg sends queued queries.
          const parsed = name === undefined || parsedOn(client, name) === text;
          if (values.length > 0 && parsed) {
            return new Promise((resolve, reject) => {
              client.query(new BeginThen(pending, { name, text, values }, (err, res) => (err ? reject(err) : resolve(lastOf(res)))) as never);
            });
          }
          return client.query(pending).then(() => (name ? client.query({ name, text, values }) : client.query(text, values)));
        }
        return name ? client.query({ name, text, values }) : client.query(text, values);
      },
      release: (err?: Error | boolean) => {
        held.length = 0;
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

/**
 * A statement sent in one message with its transaction's BEGIN: Parse, Bind and Execute of the
 * BEGIN (unnamed), then the statement's own messages and the one Sync that ends both (pg corks
 * the socket around them: one write, one answer). PostgreSQL runs them in order; an error skips
 * to the Sync, as for the statement alone. pg reads the answers as a query of two statements,
 * the BEGIN's first (lastOf). The BEGIN's ParseComplete reaches pg as the statement's own, and
 * pg then counts a named statement as parsed: only one already parsed goes this way.
 */
class BeginThen extends PgQuery {
  constructor(
    private readonly begin: string,
    config: pg.QueryConfig,
    callback: Callback,
  ) {
    super(config, undefined, callback);
  }

  override prepare(connection: PgConnection): void {
    connection.parse({ text: this.begin });
    connection.bind();
    connection.execute();
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
