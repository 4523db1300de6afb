import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

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
  const wrap = (client: pg.PoolClient): PostgresPoolClient =>
    ({
      query(textOrCursor: unknown, parameters?: readonly unknown[]) {
        if (typeof textOrCursor !== 'string') return client.query(textOrCursor as never);
        const values = (parameters ?? []) as unknown[];
        const name = nameOf(textOrCursor, values);
        return name ? client.query({ name, text: textOrCursor, values }) : client.query(textOrCursor, values);
      },
      release: (err?: Error | boolean) => client.release(err),
    }) as unknown as PostgresPoolClient;
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
