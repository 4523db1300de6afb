import { z } from 'zod';

/** Schemas shared by every capability's routes. */
export const Id = z.uuid().describe('UUID');
export const IdParams = z.strictObject({ id: Id });

export const ErrorBody = z
  .object({
    error: z.object({
      type: z.string(),
      code: z.string(),
      message: z.string(),
      details: z.unknown(),
    }),
  })
  .describe('Every error has this shape; `code` is stable.');

/** Standard error responses, for the OpenAPI document. */
export const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  422: ErrorBody,
  429: ErrorBody,
} as const;

export const Address = z.strictObject({
  line1: z.string().trim().min(1).max(200),
  line2: z.string().trim().max(200).optional(),
  city: z.string().trim().min(1).max(100),
  region: z.string().trim().max(100).optional().describe('Province or territory code, e.g. QC'),
  postalCode: z.string().trim().max(20).optional(),
  country: z.string().trim().length(2).default('CA'),
});
export type Address = z.infer<typeof Address>;

// Bounded: the format alone admits any number of fraction digits.
export const Timestamp = z.iso.datetime({ offset: true }).max(40).describe('ISO-8601 date-time');
/** A date-time a client sends: any offset accepted, stored in UTC so that times sort and compare. */
export const TimestampInput = Timestamp.transform((v) => new Date(v).toISOString());

export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
};

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const Locale = z.enum(['fr-CA', 'en-CA']);
export const Language = z.enum(['fr', 'en']);
export const Label = z.strictObject({ fr: z.string().trim().min(1).max(100), en: z.string().trim().min(1).max(100) });

/** Parses a JSON text column, tolerating null. */
export const parseJson = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));
