import { sql, type OperationNodeSource, type RawBuilder } from 'kysely';
import { staticQuery, type Dialect, type Executor } from '../db/index.ts';
import type { ConsolidationsTable } from '../db/schema.ts';

/**
 * The INSERT … SELECT statements that copy a source task's lines, attachments and notes into a
 * target (copy-content.ts), each built once per store (staticQuery). The rows never pass through
 * JS: the database copies them; only the copies' ids, and the attachments' display names, come
 * from the caller, as JSON arrays whose n-th item goes to the n-th row copied. The statements
 * have no ORDER BY: a copy's id, position and name come from its n, whatever order the rows go
 * in, and sorting them again cost SQLite a temporary B-tree per statement (issue 10).
 * On PostgreSQL the same inserts also run together, with the taking of the line positions, as
 * one statement (`inOne`): see there.
 */

/** The consolidation's own row (consolidate.ts), inserted alone or, on PostgreSQL, in inOne with its copies. */
const insertConsolidationRow = (db: Executor, r: ConsolidationsTable) => db.insertInto('consolidations').values(r);

/** The table's columns, in the order a row goes as the parameters of a statement built once (staticQuery). */
const ROW_FIELDS = [
  'id',
  'org_id',
  'source_task_id',
  'target_task_id',
  'client_id',
  'rule_id',
  'state',
  'reparented',
  'previous_parent_id',
  'options',
  'created_at',
  'retracted_at',
] as const satisfies readonly (keyof ConsolidationsTable)[];
/** A row's values in ROW_FIELDS order. */
type RowValues = [
  id: string,
  orgId: string,
  sourceTaskId: string,
  targetTaskId: string | null,
  clientId: string | null,
  ruleId: string | null,
  state: ConsolidationsTable['state'],
  reparented: number,
  previousParentId: string | null,
  options: string,
  createdAt: string,
  retractedAt: string | null,
];
export const rowValues = (r: ConsolidationsTable) => ROW_FIELDS.map((f) => r[f]) as unknown as RowValues;
const rowOf = (values: RowValues) => Object.fromEntries(ROW_FIELDS.map((f, i) => [f, values[i]])) as unknown as ConsolidationsTable;
// Once per consolidation: built once (see staticQuery).
const insertConsolidationStatic = staticQuery((db: Executor, ...values: RowValues) => insertConsolidationRow(db, rowOf(values)));

/** Inserts a consolidation's row (both stores). */
export const insertConsolidation = (trx: Executor, row: ConsolidationsTable) => insertConsolidationStatic(trx, ...rowValues(row));

/** Who copies what where, and the source's own origin: what every copy statement takes first. */
export type CopyWho = [
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
];

/** What a copy statement of one kind takes first. */
export type CopyArgs = [
  ...CopyWho,
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
 * most once); content entered on the source itself (`s.own`: it has no origin) gets the source as
 * its origin, content the source had received keeps its own.
 */
function provenance([, , , consolidationId, , taskId, number, title, completedAt, assignees]: CopyArgs) {
  return sql`${consolidationId}, s.id,
    case when s.own then s.id else s.origin_id end,
    case when s.own then ${taskId} else s.origin_task_id end,
    case when s.own then ${number} else s.origin_task_number end,
    case when s.own then ${title} else s.origin_task_title end,
    case when s.own then ${completedAt} else s.origin_completed_at end,
    case when s.own then ${assignees} else s.origin_assignees end`;
}

/** The order of the source's lines: `numbered` gives them a column n, from 1. */
type NumberedLines = (orgId: string, sourceId: string) => RawBuilder<unknown>;

/** The source's lines, in position order, when it has only its own. */
const ownLines: NumberedLines = (orgId, sourceId) =>
  sql`select l.*, l.origin_task_id is null as own, row_number() over (order by l.position, l.id) as n from task_lines l where l.org_id = ${orgId} and l.task_id = ${sourceId}`;

/**
 * The source's lines when it received some: its own first, then those it received, grouped by
 * the task they were first entered on (groups in the order they first appear), each group in
 * position order.
 */
const linesByOrigin: NumberedLines = (
  orgId,
  sourceId,
) => sql`select g.*, row_number() over (order by g.origin_task_id is not null, g.first_seen, g.position, g.id) as n
  from (
    select p.*, min(p.seq) over (partition by p.origin_task_id) as first_seen
    from (select l.*, l.origin_task_id is null as own, row_number() over (order by l.position, l.id) as seq from task_lines l where l.org_id = ${orgId} and l.task_id = ${sourceId}) p
  ) g`;

/** Copies the source's lines in `numbered`'s order: the n-th copy takes position `first` + n - 1 and the n-th id. */
function insertLines(db: Executor, dialect: Dialect, numbered: NumberedLines, args: CopyArgs, first: RawBuilder<number>) {
  const [orgId, sourceId, targetId, , now, , , , , , ids] = args;
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
      sql`select ${nth(dialect, ids)}, s.org_id, ${targetId}, ${first} + s.n - 1, s.description, s.quantity_milli,
          s.unit, s.unit_price_cents, s.amount_cents, s.tax_treatment, s.product_code, s.created_by, ${now}, ${now}, 1,
          ${provenance(args)}
        from (${numbered(orgId, sourceId)}) s`,
    );
}

/** The source's attachments (the same stored bytes), in id order; the n-th is shown as the n-th of `names`. */
function insertAttachments(db: Executor, dialect: Dialect, args: CopyArgs, names: string) {
  const [orgId, sourceId, targetId, , now, , , , , , ids] = args;
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
          ${nth(dialect, names)}, ${now}, ${provenance(args)}
        from (select t.*, t.origin_task_id is null as own, row_number() over (order by t.id) as n from attachments t where t.org_id = ${orgId} and t.task_id = ${sourceId}) s`,
    );
}

/** The source's notes, in id order (the order they were written). */
function insertNotes(db: Executor, dialect: Dialect, args: CopyArgs) {
  const [orgId, sourceId, targetId, , now, , , , , , ids] = args;
  return db
    .insertInto('notes')
    .columns(['id', 'org_id', 'task_id', 'author_id', 'body', 'created_at', ...PROVENANCE_COLUMNS])
    .expression(
      sql`select ${nth(dialect, ids)}, s.org_id, ${targetId}, s.author_id, s.body, ${now}, ${provenance(args)}
        from (select t.*, t.origin_task_id is null as own, row_number() over (order by t.id) as n from notes t where t.org_id = ${orgId} and t.task_id = ${sourceId}) s`,
    );
}

/** One statement per kind: what SQLite runs, and PostgreSQL when the target has no line counter yet. */
function statements(dialect: Dialect) {
  const lines = (numbered: NumberedLines) =>
    staticQuery((db: Executor, ...args: [...CopyArgs, first: number]) =>
      insertLines(db, dialect, numbered, args.slice(0, 11) as CopyArgs, sql<number>`cast(${args[11]} as integer)`),
    );
  return {
    /** The source's lines, in position order, when it has only its own. The n-th takes position `first` + n - 1. */
    lines: lines(ownLines),
    /** The source's lines when it received some (linesByOrigin's order). */
    linesGroupedByOrigin: lines(linesByOrigin),
    attachments: staticQuery((db: Executor, ...args: [...CopyArgs, names: string]) => insertAttachments(db, dialect, args.slice(0, 11) as CopyArgs, args[11])),
    notes: staticQuery((db: Executor, ...args: CopyArgs) => insertNotes(db, dialect, args)),
  };
}

/** What one statement copies (inOne): each kind the source has, and which order its lines take (none: it has no line); and whether it inserts the consolidation's row first. */
export interface CopyKinds {
  lines: 'own' | 'byOrigin' | null;
  attachments: boolean;
  notes: boolean;
  consolidation: boolean;
}

/** Rows each part of an inOne statement copied (and the consolidation's row inserted). */
export interface CopiedInOne {
  consolidation?: number;
  lines?: number;
  attachments?: number;
  notes?: number;
}

/**
 * inOne's arguments: who, then each kind's copies' ids (a kind the source has none of: ignored),
 * the lines' first position, how many lines, attachments and notes the source holds (each part
 * must copy that many), then the consolidation's row (ignored without `consolidation`).
 */
export type InOneArgs = [
  ...CopyWho,
  lineIds: string,
  firstPosition: number,
  attachmentIds: string,
  names: string,
  noteIds: string,
  lines: number,
  attachments: number,
  notes: number,
  ...row: RowValues,
];

/**
 * PostgreSQL: the consolidation's row (when new) and the copies of every kind the source has as
 * ONE statement of data-modifying CTEs (a statement is a network round trip; four were a third
 * of a consolidating completion's). The lines' positions were taken before
 * (takeLinePositionsAutonomously). Each part checks that it wrote as many rows as it must
 * (chantier_expect_rows: the statement fails otherwise), so nobody waits for its answer: it goes
 * with the transaction's next statement or its COMMIT (withNext). One statement per combination
 * of kinds, so a kind the source has none of is no part of it; each built once (staticQuery).
 */
function inOne(kinds: CopyKinds) {
  return staticQuery(
    (db: Executor, ...args: InOneArgs) => {
      const [, , , , , , , , , , lineIds, firstPosition, attachmentIds, names, noteIds, lines, attachments, notes] = args;
      const who = args.slice(0, 10) as CopyWho;
      const parts: { name: keyof CopiedInOne; query: OperationNodeSource; expected: number }[] = [];
      // The copies name the consolidation without a foreign key: no order among the parts is needed.
      if (kinds.consolidation)
        parts.push({
          name: 'consolidation',
          query: insertConsolidationRow(db, rowOf(args.slice(18) as unknown as RowValues)).returning(sql`1`.as('one')),
          expected: 1,
        });
      if (kinds.attachments)
        parts.push({
          name: 'attachments',
          query: insertAttachments(db, 'postgres', [...who, attachmentIds], names).returning(sql`1`.as('one')),
          expected: attachments,
        });
      if (kinds.notes) parts.push({ name: 'notes', query: insertNotes(db, 'postgres', [...who, noteIds]).returning(sql`1`.as('one')), expected: notes });
      if (kinds.lines) {
        const first = sql<number>`cast(${firstPosition} as integer)`;
        const numbered = kinds.lines === 'own' ? ownLines : linesByOrigin;
        parts.push({ name: 'lines', query: insertLines(db, 'postgres', numbered, [...who, lineIds], first).returning(sql`1`.as('one')), expected: lines });
      }
      // Short names: the statement's text must stay within what db/pg-prepared.ts prepares (MAX_TEXT).
      const cte = { consolidation: 'con', attachments: 'att', notes: 'nts', lines: 'lns' } as const;
      const counted = (p: (typeof parts)[number]) =>
        sql`chantier_expect_rows((select count(*) from ${sql.raw(cte[p.name])}), ${p.expected}, ${sql.lit(p.name)}) as ${sql.raw(p.name)}`;
      const query = sql<CopiedInOne>`with ${sql.join(parts.map((p) => sql`${sql.raw(cte[p.name])} as (${p.query})`))}
      select ${sql.join(parts.map(counted))}`;
      return { compile: () => query.compile(db) };
    },
    { withNext: true },
  );
}

/** inOne's statements, by the kinds they copy. */
const inOneByKinds = new Map<string, ReturnType<typeof inOne>>();

/** The copy statements of each store; PostgreSQL's also copy all kinds at once (inOne). */
export const copyStatements = {
  sqlite: statements('sqlite'),
  postgres: {
    ...statements('postgres'),
    inOne(kinds: CopyKinds) {
      const key = `${kinds.lines}/${kinds.attachments}/${kinds.notes}/${kinds.consolidation}`;
      let statement = inOneByKinds.get(key);
      if (!statement) inOneByKinds.set(key, (statement = inOne(kinds)));
      return statement;
    },
  },
};
