import { z } from 'zod';
import { Id, Timestamp } from '../http/schemas.ts';
import { MAX_UNIT_PRICE_CENTS } from '../shared/money.ts';
import { SourceSchema } from './provenance.ts';

const TAX_TREATMENTS = ['taxable', 'exempt'] as const;

// Value ranges are checked by src/shared/money.ts so that a bad amount answers with its own
// code (invalid_quantity / invalid_unit_price); the metadata documents the same contract.
const Quantity = z
  .union([z.string().max(32), z.number()])
  .meta({ description: 'Exact decimal, at most 3 places, > 0 and ≤ 1000000: "1.25" (a string keeps it exact)', examples: ['1.25'] });
const UnitPriceCents = z.number().meta({ type: 'integer', minimum: 0, maximum: MAX_UNIT_PRICE_CENTS, description: 'Whole cents, 0 to 100000000' });
const Description = z.string().trim().min(1).max(1000);
const Unit = z.string().trim().max(20);
const ProductCode = z.string().trim().max(64);

export const LineSchema = z.object({
  id: Id,
  taskId: Id,
  position: z.number().int(),
  description: z.string(),
  quantity: z.string().describe('Exact decimal text, e.g. "1.25"'),
  unit: z.string().nullable(),
  unitPriceCents: z.number().int(),
  amountCents: z.number().int().describe('quantity × unitPriceCents, rounded half-up to the cent'),
  taxTreatment: z.enum(TAX_TREATMENTS),
  productCode: z.string().nullable(),
  createdBy: Id.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: z.number().int(),
  source: SourceSchema.describe('Where it was first entered, when it came by consolidation'),
});
export type LineDto = z.infer<typeof LineSchema>;

export const AddLineBody = z.strictObject({
  description: Description,
  quantity: Quantity,
  unit: Unit.optional(),
  unitPriceCents: UnitPriceCents,
  taxTreatment: z.enum(TAX_TREATMENTS).default('taxable'),
  productCode: ProductCode.optional(),
});
export type AddLineInput = z.output<typeof AddLineBody>;

/** Bulk entry: at most this many lines per request (beyond: 413 bulk_too_large). */
export const MAX_BULK_LINES = 100_000;

export const AddLinesBody = z
  .array(AddLineBody)
  .min(1)
  .max(MAX_BULK_LINES)
  .describe(`Lines to add in order, in one transaction: a JSON array, or NDJSON (one line per line). At most ${MAX_BULK_LINES}`);

export const UpdateLineBody = z
  .strictObject({
    description: Description.optional(),
    quantity: Quantity.optional(),
    unit: Unit.nullable().optional(),
    unitPriceCents: UnitPriceCents.optional(),
    taxTreatment: z.enum(TAX_TREATMENTS).optional(),
    productCode: ProductCode.nullable().optional(),
    version: z.number().int().optional().describe('Current version; a stale one answers 409'),
  })
  .refine((b) => Object.keys(b).some((k) => k !== 'version'), { message: 'change at least one field' });
export type UpdateLineInput = z.output<typeof UpdateLineBody>;

export const LineParams = z.strictObject({ id: Id, lineId: Id });

export const NoteSchema = z.object({
  id: Id,
  taskId: Id,
  authorId: Id.nullable(),
  body: z.string(),
  createdAt: Timestamp,
  source: SourceSchema.describe('Where it was first entered, when it came by consolidation'),
});
export type NoteDto = z.infer<typeof NoteSchema>;

export const AddNoteBody = z.strictObject({
  body: z
    .string()
    .max(10_000)
    .refine((s) => s.trim().length > 0, { message: 'a note cannot be empty' }),
});

export const AttachmentSchema = z.object({
  id: Id,
  taskId: Id,
  fileName: z.string(),
  mediaType: z.string().describe('Detected from the bytes, never taken from the client'),
  size: z.number().int(),
  kind: z.enum(['photo', 'document']),
  uploadedBy: Id.nullable(),
  createdAt: Timestamp,
  contentUrl: z.string().describe('Where to download the bytes'),
  displayName: z.string().describe('The name shown: for consolidated files, from the rule pattern (e.g. "T-12 – photo.jpg")'),
  source: SourceSchema.describe('Where it was first entered, when it came by consolidation'),
});
export type AttachmentDto = z.infer<typeof AttachmentSchema>;

/** For the OpenAPI document only: uploads are read as a stream, never validated as a body. */
export const UploadBody = z.any().meta({
  type: 'object',
  properties: { file: { type: 'string', format: 'binary', description: 'One file' } },
  required: ['file'],
});

/** For the OpenAPI document only: the bytes are streamed, never serialized. */
export const FileContent = {
  description: 'The file bytes, with the detected media type',
  content: { 'application/octet-stream': { schema: z.any().meta({ type: 'string', format: 'binary' }) } },
};
