import type { Executor } from '../db/index.ts';
import type { ClientsTable } from '../db/schema.ts';
import { parseJson, type Address } from '../http/schemas.ts';
import type { ClientDto } from './schemas.ts';

export const findClient = (db: Executor, orgId: string, id: string) =>
  db.selectFrom('clients').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();

export function toClientDto(r: ClientsTable): ClientDto {
  return {
    id: r.id,
    name: r.name,
    billingEmails: JSON.parse(r.billing_emails) as string[],
    billingAddress: parseJson<Address>(r.billing_address),
    phone: r.phone,
    language: r.language,
    taxRegion: r.tax_region as ClientDto['taxRegion'],
    notes: r.notes,
    paymentTermsDays: r.payment_terms_days === null ? null : Number(r.payment_terms_days),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}
