import { sql } from 'kysely';
import type { z } from 'zod';
import { requireRole, type Principal } from '../accounts/principal.ts';
import type { ClientsTable } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { decodeCursor } from '../shared/cursor.ts';
import { conflict, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { searchKey } from '../shared/search-key.ts';
import { isCursorOf, pageOf } from '../shared/paging.ts';
import type { CreateClientBody, ListClientsQuery, UpdateClientBody } from './schemas.ts';
import { findClient, toClientDto } from './store.ts';
import { keysetAfter } from '../db/keyset.ts';
import { runTransaction } from '../db/transaction.ts';
import { checkVersion, updateVersioned } from '../db/versioned.ts';

const STAFF = ['admin', 'dispatcher'] as const;

const isNameCursor = isCursorOf('name', 'id');

export async function listClients(deps: Deps, p: Principal, q: z.output<typeof ListClientsQuery>) {
  requireRole(p, ...STAFF);
  const after = decodeCursor(q.cursor, isNameCursor);
  let query = deps.db.kysely.selectFrom('clients').selectAll().where('org_id', '=', p.orgId);
  if (q.q) {
    const pattern = `%${searchKey(q.q).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // SQLite has no default LIKE escape character: name it for both stores.
    query = query.where(sql<boolean>`search_name like ${pattern} escape '\\'`);
  }
  if (after) query = query.where(keysetAfter(sql.ref('name'), after.name, sql.ref('id'), after.id));
  const rows = await query
    .orderBy('name')
    .orderBy('id')
    .limit(q.limit + 1)
    .execute();
  return pageOf(rows, q.limit, toClientDto, (r) => ({ name: r.name, id: r.id }));
}

export async function getClient(deps: Deps, p: Principal, id: string) {
  requireRole(p, ...STAFF);
  const row = await findClient(deps.db.kysely, p.orgId, id);
  if (!row) throw notFound('client', id);
  return toClientDto(row);
}

export async function createClient(deps: Deps, p: Principal, input: z.output<typeof CreateClientBody>) {
  requireRole(p, ...STAFF);
  const now = deps.clock.now().toISOString();
  const row: ClientsTable = {
    id: newId(),
    org_id: p.orgId,
    name: input.name,
    search_name: searchKey(input.name),
    billing_emails: JSON.stringify(input.billingEmails),
    billing_address: input.billingAddress ? JSON.stringify(input.billingAddress) : null,
    phone: input.phone ?? null,
    language: input.language,
    tax_region: input.taxRegion,
    notes: input.notes ?? null,
    payment_terms_days: input.paymentTermsDays ?? null,
    created_at: now,
    updated_at: now,
    version: 1,
  };
  await deps.db.kysely.insertInto('clients').values(row).execute();
  return toClientDto(row);
}

export async function updateClient(deps: Deps, p: Principal, id: string, input: z.output<typeof UpdateClientBody>) {
  requireRole(p, ...STAFF);
  return runTransaction(deps, async (trx) => {
    const cur = await findClient(trx, p.orgId, id);
    if (!cur) throw notFound('client', id);
    checkVersion('clients', cur.version, input.version);
    const next: ClientsTable = {
      ...cur,
      name: input.name ?? cur.name,
      search_name: searchKey(input.name ?? cur.name),
      billing_emails: input.billingEmails ? JSON.stringify(input.billingEmails) : cur.billing_emails,
      billing_address: input.billingAddress === undefined ? cur.billing_address : input.billingAddress && JSON.stringify(input.billingAddress),
      phone: input.phone === undefined ? cur.phone : input.phone,
      language: input.language ?? cur.language,
      tax_region: input.taxRegion ?? cur.tax_region,
      notes: input.notes === undefined ? cur.notes : input.notes,
      payment_terms_days: input.paymentTermsDays === undefined ? cur.payment_terms_days : input.paymentTermsDays,
      updated_at: deps.clock.now().toISOString(),
      version: cur.version + 1,
    };
    await updateVersioned(trx, 'clients', { orgId: p.orgId, id, version: cur.version }, next);
    return toClientDto(next);
  });
}

/** A client with tasks cannot be deleted (its tasks and invoices refer to it). */
export async function deleteClient(deps: Deps, p: Principal, id: string) {
  requireRole(p, ...STAFF);
  await runTransaction(deps, async (trx) => {
    if (!(await findClient(trx, p.orgId, id))) throw notFound('client', id);
    const used = await trx.selectFrom('tasks').select('id').where('org_id', '=', p.orgId).where('client_id', '=', id).limit(1).executeTakeFirst();
    if (used) throw conflict('client_in_use', 'this client has tasks and cannot be deleted');
    await trx.deleteFrom('clients').where('org_id', '=', p.orgId).where('id', '=', id).execute();
  });
}
