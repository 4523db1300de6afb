import { sql, type Kysely } from 'kysely';

/**
 * The index of pending consolidations (content waiting for its client's next invoice task) holds
 * only those (issue 10): every consolidating completion wrote an entry into it, though nearly all
 * consolidations are active and no query looks for an active one through it. Its readers (the
 * sweep of a new invoice task, the client's unbilled work) name the state as a literal, so the
 * planners of both stores can use a partial index. The id after the client serves the unbilled
 * list's order and its cursor.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index consolidations_pending_idx`.execute(db);
  await sql`create index consolidations_pending_idx on consolidations (org_id, client_id, id) where state = 'pending'`.execute(db);
}
