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
    return {
      query(textOrCursor: unknown, parameters?: readonly unknown[]) {
        if (typeof textOrCursor !== 'string') return client.query(textOrCursor as never);
        let text = textOrCursor;
        const values = (parameters ?? []) as unknown[];
        if (text.startsWith(WITH_COMMIT)) {
          text = text.slice(WITH_COMMIT.length);
          if (inTransaction) {
            held.push(withValues(text, values));
            return Promise.resolve(heldAnswer());
          }
          // Outside a transaction there is no COMMIT to carry it: it runs now.
        } else if (text === 'begin' || text.startsWith('start transaction')) {
          inTransaction = true;
        } else if (text === 'commit' || text === 'rollback') {
          inTransaction = false;
          const writes = held.splice(0);
          // One message, the simple protocol's: the writes, then COMMIT, in the transaction. A
          // write that fails aborts the transaction and skips the COMMIT; the caller rolls back.
          // Answered as the COMMIT alone would be (Kysely reads its tag: ROLLBACK if aborted).
          if (text === 'commit' && writes.length > 0) return client.query(`${writes.join(';\n')};\ncommit`).then(lastOf);
        }
        const name = nameOf(text, values);
        return name ? client.query({ name, text, values }) : client.query(text, values);
      },
      release: (err?: Error | boolean) => {
        held.length = 0;
        inTransaction = false;
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

const heldAnswer = () => ({ command: 'INSERT', rowCount: 0, rows: [], fields: [] });

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
