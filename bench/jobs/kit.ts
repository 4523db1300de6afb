// Helpers for the server-side bench jobs: the admin's principal, bulk setup rows shaped like the
// ones the service verbs write (tasks with their creation history, lines, attachments).
import { Readable } from 'node:stream';
import type { Principal } from '../../src/accounts/principal.ts';
import type { Executor } from '../../src/db/index.ts';
import type { AttachmentsTable, Database, TaskLinesTable } from '../../src/db/schema.ts';
import type { Deps } from '../../src/deps.ts';
import { detectMediaType, isPhoto, SNIFF_BYTES } from '../../src/files/media-type.ts';
import { pngBytes } from '../../src/invoicing/pdf/test-fixtures.ts';
import { lineAmountCents } from '../../src/shared/money.ts';
import { newId } from '../../src/shared/ids.ts';
import type { TaskRow } from '../../src/tasks/index.ts';

/** The benchmark's admin, as a service verb sees a caller. */
export const benchPrincipal = (orgId: string, userId: string): Principal => ({ orgId, userId, role: 'admin', credentialId: 'bench', credentialKind: 'token' });

export async function typeIdOf(deps: Deps, orgId: string, key: 'work' | 'invoice'): Promise<string> {
  return (await deps.db.kysely.selectFrom('task_types').select('id').where('org_id', '=', orgId).where('key', '=', key).executeTakeFirstOrThrow()).id;
}

/** Multi-row inserts of at most `size` rows (PostgreSQL takes at most 65,535 parameters). */
export async function insertChunked<T extends keyof Database>(trx: Executor, table: T, rows: any[], size = 500): Promise<void> {
  for (let i = 0; i < rows.length; i += size)
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + size) as never)
      .execute();
}

/** Reserves `n` task numbers of the organization; returns the first. */
export async function reserveNumbers(trx: Executor, orgId: string, n: number): Promise<number> {
  await trx
    .insertInto('org_counters')
    .values({ org_id: orgId, name: 'task_number', value: 0 })
    .onConflict((oc) => oc.columns(['org_id', 'name']).doNothing())
    .execute();
  const { value } = await trx
    .updateTable('org_counters')
    .set((eb) => ({ value: eb('value', '+', n) }))
    .where('org_id', '=', orgId)
    .where('name', '=', 'task_number')
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(value) - n + 1;
}

/** Inserts `count` tasks with their creation history, as createTask writes them (no hooks: not billing tasks). */
export async function bulkTasks(
  trx: Executor,
  deps: Deps,
  o: {
    orgId: string;
    userId: string;
    typeId: string;
    status: string;
    count: number;
    parentOf?: (i: number) => string | null;
    clientOf?: (i: number) => string | null;
    title: (i: number) => string;
  },
): Promise<TaskRow[]> {
  const first = await reserveNumbers(trx, o.orgId, o.count);
  const now = deps.clock.now().toISOString();
  const tasks: TaskRow[] = Array.from({ length: o.count }, (_, i) => ({
    id: newId(),
    org_id: o.orgId,
    number: first + i,
    type_id: o.typeId,
    status: o.status,
    title: o.title(i),
    description: null,
    client_id: o.clientOf?.(i) ?? null,
    parent_id: o.parentOf?.(i) ?? null,
    scheduled_start: null,
    scheduled_end: null,
    site_address: null,
    status_changed_at: now,
    completed_at: null,
    created_by: o.userId,
    updated_by: o.userId,
    created_at: now,
    updated_at: now,
    version: 1,
  }));
  await insertChunked(trx, 'tasks', tasks);
  await insertChunked(
    trx,
    'task_history',
    tasks.map((t) => ({ id: newId(), org_id: o.orgId, task_id: t.id, from_status: null, to_status: o.status, user_id: o.userId, at: now })),
  );
  return tasks;
}

/** `n` lines for each task, as addLine writes them (positions 1…n). */
export function lineRows(
  deps: Deps,
  tasks: Pick<TaskRow, 'id' | 'org_id' | 'title'>[],
  n: number,
  userId: string,
): Omit<
  TaskLinesTable,
  'consolidation_id' | 'source_id' | 'origin_id' | 'origin_task_id' | 'origin_task_number' | 'origin_task_title' | 'origin_completed_at' | 'origin_assignees'
>[] {
  const now = deps.clock.now().toISOString();
  return tasks.flatMap((t) =>
    Array.from({ length: n }, (_, k) => {
      const quantity_milli = 1500 + k * 250;
      const unit_price_cents = 4200 + k * 100;
      return {
        id: newId(),
        org_id: t.org_id,
        task_id: t.id,
        position: k + 1,
        description: `${t.title} — ligne ${k + 1}`,
        quantity_milli,
        unit: 'h',
        unit_price_cents,
        amount_cents: lineAmountCents(quantity_milli, unit_price_cents),
        tax_treatment: k % 4 === 3 ? ('exempt' as const) : ('taxable' as const),
        product_code: null,
        created_by: userId,
        created_at: now,
        updated_at: now,
        version: 1,
      };
    }),
  );
}

export interface BenchFile {
  hash: string;
  size: number;
  mediaType: string;
  fileName: string;
}

/** Two small files (a photo and a document), stored once; the attachments of every sub-task share their bytes. */
export async function benchFiles(deps: Deps): Promise<BenchFile[]> {
  const now = deps.clock.now().toISOString();
  const out: BenchFile[] = [];
  for (const [fileName, bytes] of [
    ['chantier.png', pngBytes(16, 16)],
    ['bon-livraison.txt', Buffer.from('Bon de livraison n° 4521 — 12 t de gravier 0-3/4, livré au chantier.\n')],
  ] as const) {
    const blob = await deps.blobs.put(Readable.from([bytes]), deps.config.maxUploadBytes);
    const mediaType = await detectMediaType(await deps.blobs.head(blob.hash, SNIFF_BYTES));
    await deps.db.kysely
      .insertInto('blobs')
      .values({ hash: blob.hash, size: blob.size, media_type: mediaType, created_at: now })
      .onConflict((oc) => oc.column('hash').doNothing())
      .execute();
    out.push({ ...blob, mediaType, fileName });
  }
  return out;
}

/** One attachment row per task and file, as attachFile writes them. */
export function attachmentRows(
  deps: Deps,
  tasks: TaskRow[],
  files: BenchFile[],
  userId: string,
): Pick<AttachmentsTable, 'id' | 'org_id' | 'task_id' | 'blob_hash' | 'file_name' | 'media_type' | 'size' | 'kind' | 'uploaded_by' | 'created_at'>[] {
  const now = deps.clock.now().toISOString();
  return tasks.flatMap((t) =>
    files.map((f) => ({
      id: newId(),
      org_id: t.org_id,
      task_id: t.id,
      blob_hash: f.hash,
      file_name: f.fileName,
      media_type: f.mediaType,
      size: f.size,
      kind: isPhoto(f.mediaType) ? ('photo' as const) : ('document' as const),
      uploaded_by: userId,
      created_at: now,
    })),
  );
}

/** Wall and CPU time of `fn`, in ms. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  const { user, system } = process.cpuUsage(cpu);
  return { value, ms, cpuMs: (user + system) / 1000 };
}
