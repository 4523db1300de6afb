import { sql, type RawBuilder } from 'kysely';
import { staticQuery, type Dialect, type Executor } from '../db/index.ts';

/**
 * The INSERT … SELECT statements that copy a source task's lines, attachments and notes into a
 * target (copy-content.ts), each built once per store (staticQuery). The rows never pass through
 * JS: the database copies them; only the copies' ids, and the attachments' display names, come
 * from the caller, as JSON arrays whose n-th item goes to the n-th row copied.
 */

/** What every copy statement takes first: who copies what where, and the source's own origin. */
export type CopyArgs = [
  orgId: string,
  sourceId: string,
  targetId: string,
  consolidationId: string,
  now: string,
  originTaskId: string,
  originNumber: string,
  originTitle: string,
  originCompletedAt: string | null,
  originAssignees: string,
  /** JSON array of the copies' ids, in copy order. */
  ids: string,
];

/** The s.n-th string of the JSON array `values` (s.n counts from 1). SQLite reads JSON text as it is; PostgreSQL needs the type. */
const nth = (dialect: Dialect, values: string) =>
  dialect === 'postgres' ? sql`(cast(${values} as json) ->> cast(s.n - 1 as integer))` : sql`(${values} ->> cast(s.n - 1 as integer))`;

const PROVENANCE_COLUMNS = [
  'consolidation_id',
  'source_id',
  'origin_id',
  'origin_task_id',
  'origin_task_number',
  'origin_task_title',
  'origin_completed_at',
  'origin_assignees',
] as const;

/**
 * The provenance of the copy of source row `s`: `source_id` is the row copied (unique: copied at
 * most once); content entered on the source itself gets the source as its origin, content the
 * source had received keeps its own.
 */
function provenance([, , , consolidationId, , taskId, number, title, completedAt, assignees]: CopyArgs) {
  return sql`${consolidationId}, s.id,
    case when s.origin_task_id is null then s.id else s.origin_id end,
    case when s.origin_task_id is null then ${taskId} else s.origin_task_id end,
    case when s.origin_task_id is null then ${number} else s.origin_task_number end,
    case when s.origin_task_id is null then ${title} else s.origin_task_title end,
    case when s.origin_task_id is null then ${completedAt} else s.origin_completed_at end,
    case when s.origin_task_id is null then ${assignees} else s.origin_assignees end`;
}

/**
 * Copies the source's lines in the order `numbered` gives them (its column n, from 1): the n-th
 * copy takes position `first` + n - 1 and the n-th id.
 */
function copyLines(dialect: Dialect, numbered: (orgId: string, sourceId: string) => RawBuilder<unknown>) {
  return staticQuery((db: Executor, ...args: [...CopyArgs, first: number]) => {
    const [orgId, sourceId, targetId, , now, , , , , , ids, first] = args;
    return db
      .insertInto('task_lines')
      .columns([
        'id',
        'org_id',
        'task_id',
        'position',
        'description',
        'quantity_milli',
        'unit',
        'unit_price_cents',
        'amount_cents',
        'tax_treatment',
        'product_code',
        'created_by',
        'created_at',
        'updated_at',
        'version',
        ...PROVENANCE_COLUMNS,
      ])
      .expression(
        sql`select ${nth(dialect, ids)}, s.org_id, ${targetId}, cast(${first} as integer) + s.n - 1, s.description, s.quantity_milli,
            s.unit, s.unit_price_cents, s.amount_cents, s.tax_treatment, s.product_code, s.created_by, ${now}, ${now}, 1,
            ${provenance(args.slice(0, 11) as CopyArgs)}
          from (${numbered(orgId, sourceId)}) s
          order by s.n`,
      );
  });
}

function statements(dialect: Dialect) {
  return {
    /** The source's lines, in position order, when it has only its own. The n-th takes position `first` + n - 1. */
    lines: copyLines(
      dialect,
      (orgId, sourceId) =>
        sql`select l.*, row_number() over (order by l.position, l.id) as n from task_lines l where l.org_id = ${orgId} and l.task_id = ${sourceId}`,
    ),
    /**
     * The source's lines when it received some: its own first, then those it received, grouped by
     * the task they were first entered on (groups in the order they first appear), each group in
     * position order.
     */
    linesGroupedByOrigin: copyLines(
      dialect,
      (orgId, sourceId) => sql`select g.*, row_number() over (order by g.origin_task_id is not null, g.first_seen, g.position, g.id) as n
        from (
          select p.*, min(p.seq) over (partition by p.origin_task_id) as first_seen
          from (select l.*, row_number() over (order by l.position, l.id) as seq from task_lines l where l.org_id = ${orgId} and l.task_id = ${sourceId}) p
        ) g`,
    ),

    /** The source's attachments (the same stored bytes), in id order; the n-th is shown as the n-th of `names`. */
    attachments: staticQuery((db: Executor, ...args: [...CopyArgs, names: string]) => {
      const [orgId, sourceId, targetId, , now, , , , , , ids, names] = args;
      return db
        .insertInto('attachments')
        .columns([
          'id',
          'org_id',
          'task_id',
          'blob_hash',
          'file_name',
          'media_type',
          'size',
          'kind',
          'uploaded_by',
          'display_name',
          'created_at',
          ...PROVENANCE_COLUMNS,
        ])
        .expression(
          sql`select ${nth(dialect, ids)}, s.org_id, ${targetId}, s.blob_hash, s.file_name, s.media_type, s.size, s.kind, s.uploaded_by,
              ${nth(dialect, names)}, ${now}, ${provenance(args.slice(0, 11) as CopyArgs)}
            from (select t.*, row_number() over (order by t.id) as n from attachments t where t.org_id = ${orgId} and t.task_id = ${sourceId}) s
            order by s.n`,
        );
    }),

    /** The source's notes, in id order (the order they were written). */
    notes: staticQuery((db: Executor, ...args: CopyArgs) => {
      const [orgId, sourceId, targetId, , now, , , , , , ids] = args;
      return db
        .insertInto('notes')
        .columns(['id', 'org_id', 'task_id', 'author_id', 'body', 'created_at', ...PROVENANCE_COLUMNS])
        .expression(
          sql`select ${nth(dialect, ids)}, s.org_id, ${targetId}, s.author_id, s.body, ${now}, ${provenance(args)}
            from (select t.*, row_number() over (order by t.id) as n from notes t where t.org_id = ${orgId} and t.task_id = ${sourceId}) s
            order by s.n`,
        );
    }),
  };
}

/** The copy statements of each store. */
export const copyStatements = { sqlite: statements('sqlite'), postgres: statements('postgres') };
