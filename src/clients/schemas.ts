import { z } from 'zod';
import { Address, Id, Language, PageQuery, Timestamp } from '../http/schemas.ts';

/** Canadian provinces and territories, or `exempt` (no sales tax). */
export const TAX_REGIONS = ['AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'NT', 'NU', 'ON', 'PE', 'QC', 'SK', 'YT', 'exempt'] as const;
export const TaxRegion = z.enum(TAX_REGIONS);

export const ClientSchema = z.object({
  id: Id,
  name: z.string(),
  billingEmails: z.array(z.string()),
  billingAddress: Address.nullable(),
  phone: z.string().nullable(),
  language: Language,
  taxRegion: TaxRegion,
  notes: z.string().nullable(),
  paymentTermsDays: z.number().int().nullable().describe("Days from issue to due date; null: the organization's default"),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: z.number().int(),
});
export type ClientDto = z.infer<typeof ClientSchema>;

const Emails = z.array(z.email().max(254)).max(20);
const Phone = z.string().trim().max(40);
const Notes = z.string().max(10_000);
const PaymentTermsDays = z.number().int().min(0).max(365);

export const CreateClientBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  billingEmails: Emails.default([]),
  billingAddress: Address.optional(),
  phone: Phone.optional(),
  language: Language.default('fr'),
  taxRegion: TaxRegion.default('QC'),
  notes: Notes.optional(),
  paymentTermsDays: PaymentTermsDays.nullable().optional(),
});

export const UpdateClientBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  billingEmails: Emails.optional(),
  billingAddress: Address.nullable().optional(),
  phone: Phone.nullable().optional(),
  language: Language.optional(),
  taxRegion: TaxRegion.optional(),
  notes: Notes.nullable().optional(),
  paymentTermsDays: PaymentTermsDays.nullable().optional(),
  version: z.number().int().optional(),
});

export const ListClientsQuery = z.strictObject({
  q: z.string().max(200).optional().describe('Name contains (case-insensitive)'),
  ...PageQuery,
});
