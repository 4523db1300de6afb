import { sql, type Expression, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { keysetAfter, type Database } from '../db/index.ts';
import type { TASK_SORTS } from './schemas.ts';

type TaskQuery<O> = SelectQueryBuilder<Database, 'tasks', O>;

/** "42", "#42", "T-42", "ins-42": a task number, whatever the type prefix. */
const NUMBER_RE = /^(?:[\p{L}]{1,10}-|#)?(\d{1,9})$/u;

/** `q`: the title contains the text (case-insensitive), or the task has that number. */
export function whereTextMatches<O>(query: TaskQuery<O>, q: string): TaskQuery<O> {
  const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const titleHas = sql<SqlBool>`lower(tasks.title) like ${pattern} escape '\\'`;
  const n = NUMBER_RE.exec(q)?.[1];
  if (n === undefined) return query.where(titleHas);
  return query.where((eb) => eb.or([titleHas, eb('number', '=', Number(n))]));
}

export type TaskSort = (typeof TASK_SORTS)[number];
/** The keyset position of a row in a sort: the sort key (absent for number order) and the number. */
export interface SortCursor {
  k?: string;
  n: number;
}

// Unscheduled tasks come last in both directions: their key is past every date either way.
const LAST_ASC = '9999-12-31T23:59:59.999Z';
const LAST_DESC = '';

/** Orders by the sort, then by number, and starts after the cursor's row (keyset pagination). */
export function sortAndSeek<O>(query: TaskQuery<O>, sort: TaskSort, after: SortCursor | undefined): TaskQuery<O> {
  const desc = sort.startsWith('-');
  const dir = desc ? 'desc' : 'asc';
  const cmp = desc ? '<' : '>';
  if (sort === 'number' || sort === '-number') {
    if (after) query = query.where('number', cmp, after.n);
    return query.orderBy('number', dir);
  }
  const key = scheduledKey(desc);
  if (after) {
    const k = after.k ?? (desc ? LAST_DESC : LAST_ASC);
    query = query.where(keysetAfter(key, k, sql.ref('tasks.number'), after.n, desc));
  }
  return query.orderBy(key, dir).orderBy('number', dir);
}

export function scheduledKey(desc: boolean): Expression<string> {
  return sql<string>`coalesce(tasks.scheduled_start, ${desc ? LAST_DESC : LAST_ASC})`;
}

/** The cursor after this row in this sort. */
export function cursorOf(row: { number: number; scheduled_start: string | null }, sort: TaskSort): SortCursor {
  if (sort === 'number' || sort === '-number') return { n: row.number };
  return { k: row.scheduled_start ?? (sort.startsWith('-') ? LAST_DESC : LAST_ASC), n: row.number };
}

export const isSortCursor = (v: unknown): v is SortCursor =>
  typeof v === 'object' &&
  v !== null &&
  Number.isSafeInteger((v as { n: unknown }).n) &&
  ((v as { k?: unknown }).k === undefined || (typeof (v as { k: unknown }).k === 'string' && (v as { k: string }).k.length <= 40));
