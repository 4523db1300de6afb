import type { Kysely } from 'kysely';

// Rows for the tests of migrations that change existing data, written as the schema before them
// had them (no service: the service code is today's). Not a migration: index.ts lists those.

/** Organization o1, as every schema since 0001 holds it. */
export async function orgRow(k: Kysely<any>, now: string): Promise<void> {
  await k
    .insertInto('organizations')
    .values({ id: 'o1', name: 'Org', locale: 'fr-CA', time_zone: 'America/Toronto', currency: 'CAD', created_at: now, updated_at: now })
    .execute();
}

/** Organization o1 and its work task type tt, as every schema since 0001 holds them. */
export async function orgWithWorkType(k: Kysely<any>, now: string): Promise<void> {
  await orgRow(k, now);
  await k
    .insertInto('task_types')
    .values({
      id: 'tt',
      org_id: 'o1',
      key: 'work',
      label_fr: 'Travail',
      label_en: 'Work',
      prefix: 'T',
      billing: 1,
      workflow: '{}',
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .execute();
}

/** An open task of o1, of type tt, titled by its id. */
export const taskRow = (id: string, number: number, now: string) => ({
  id,
  org_id: 'o1',
  number,
  type_id: 'tt',
  status: 'open',
  title: id,
  status_changed_at: now,
  created_at: now,
  updated_at: now,
  version: 1,
});

/** A taxable line of 1 × 1.00 on `task_id`, described by its id. */
export const lineRow = (id: string, task_id: string, position: number, now: string) => ({
  id,
  org_id: 'o1',
  task_id,
  position,
  description: id,
  quantity_milli: 1000,
  unit_price_cents: 100,
  amount_cents: 100,
  tax_treatment: 'taxable',
  created_at: now,
  updated_at: now,
  version: 1,
});
