import type { Executor } from '../../db/index.ts';
import { parseJson, type Address } from '../../http/schemas.ts';
import { sellerDetailsOf } from '../../organization/service.ts';
import { notFound } from '../../shared/errors.ts';
import type { BuyerSnapshot, SellerSnapshot } from '../store.ts';

/** What an invoice freezes of its organization and client at issue. */
export async function partiesOf(trx: Executor, orgId: string, clientId: string) {
  const org = await trx.selectFrom('organizations').selectAll().where('id', '=', orgId).executeTakeFirst();
  if (!org) throw notFound('organization', orgId);
  const client = await trx.selectFrom('clients').selectAll().where('org_id', '=', orgId).where('id', '=', clientId).executeTakeFirst();
  if (!client) throw notFound('client', clientId);
  const details = sellerDetailsOf(org);
  const seller: SellerSnapshot = { ...details, phone: org.phone, email: org.email, timeZone: org.time_zone };
  const buyer: BuyerSnapshot = {
    clientId: client.id,
    name: client.name,
    address: parseJson<Address>(client.billing_address),
    emails: JSON.parse(client.billing_emails) as string[],
    taxRegion: client.tax_region,
  };
  return {
    seller,
    sellerDetails: details,
    buyer,
    language: client.language,
    currency: org.currency,
    timeZone: org.time_zone,
    pattern: org.invoice_number_pattern,
    paymentTermsDays: Number(client.payment_terms_days ?? org.default_payment_terms_days),
  };
}
