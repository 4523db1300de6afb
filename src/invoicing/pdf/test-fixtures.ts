// Test support: in-memory invoice documents with partial overrides. Not used by the server.
import { crc32, deflateSync } from 'node:zlib';
import type { DocumentAttachment, DocumentLine, DocumentSource, InvoiceDocument } from '../document.ts';
import { computeTotals } from '../../billing-math/index.ts';

export const CLIENT_NAME = 'Chloé Lefèvre-Öztürk & Fils « Québec »';

export const EXCAVATION: DocumentSource = {
  taskId: '01960000-0000-7000-8000-000000001042',
  number: 'T-1042',
  title: 'Excavation du stationnement',
  completedAt: '2026-03-02T20:30:00Z',
  assignees: ['Marc Tremblay', 'Nguyễn Thị Hoa'],
};

export const PAVING: DocumentSource = {
  taskId: '01960000-0000-7000-8000-000000001044',
  number: 'T-1044',
  title: 'Pavage — couche de finition',
  completedAt: '2026-03-03T15:00:00Z',
  assignees: ['Γιώργος Παπαδόπουλος', 'Łukasz Wiśniewski'],
};

/** One line; the amount defaults to quantity × unit price for whole quantities. */
export function line(overrides: Partial<DocumentLine> = {}): DocumentLine {
  const base: DocumentLine = {
    group: null,
    description: 'Déplacement',
    quantity: '1',
    unit: null,
    unitPriceCents: 7_500,
    amountCents: 7_500,
    taxTreatment: 'taxable',
  };
  return { ...base, ...overrides };
}

/** The default lines: the task's own travel fee, then two sub-tasks (one exempt permit line). */
export const DEFAULT_LINES: DocumentLine[] = [
  line({ description: 'Déplacement et mobilisation', unitPriceCents: 7_500, amountCents: 7_500 }),
  line({ group: EXCAVATION, description: 'Pelle mécanique 20 t', quantity: '12.5', unit: 'h', unitPriceCents: 14_500, amountCents: 181_250 }),
  line({ group: EXCAVATION, description: 'Permis municipal de creusage', unitPriceCents: 25_000, amountCents: 25_000, taxTreatment: 'exempt' }),
  line({ group: PAVING, description: 'Enrobé bitumineux posé', quantity: '40', unit: 't', unitPriceCents: 9_875, amountCents: 395_000 }),
];

export interface FixtureOverrides extends Partial<Omit<InvoiceDocument, 'lines' | 'attachments' | 'seller' | 'buyer'>> {
  seller?: Partial<InvoiceDocument['seller']>;
  buyer?: Partial<InvoiceDocument['buyer']>;
  /** Lines as an array (totals are computed) or a generator factory (give totals too). */
  lines?: DocumentLine[] | (() => Iterable<DocumentLine>);
  attachments?: DocumentAttachment[];
  /** Tax region for computed totals; QC by default. */
  region?: string;
}

/** A French invoice from Excavation Martin to Chloé Lefèvre-Öztürk & Fils, with two sub-tasks; override any part. */
export function invoiceDocument(o: FixtureOverrides = {}): InvoiceDocument {
  const { lines = DEFAULT_LINES, attachments = [], region = 'QC', seller, buyer, ...rest } = o;
  const issueDate = rest.issueDate ?? '2026-03-03';
  const totals = rest.totals ?? computeTotals(Array.isArray(lines) ? lines : lines(), region, issueDate);
  return {
    kind: 'invoice',
    number: 'F-2026-0042',
    creditedInvoiceNumber: null,
    issueDate,
    dueDate: '2026-04-02',
    paymentTermsDays: 30,
    language: 'fr',
    timeZone: 'America/Montreal',
    currency: 'CAD',
    task: { number: 'FAC-1043', title: 'Stationnement Lefèvre — mars 2026' },
    ...rest,
    totals,
    seller: {
      name: 'Excavation Martin inc.',
      address: { line1: '1200, boulevard Industriel', city: 'Laval', region: 'QC', postalCode: 'H7L 4S3', country: 'CA' },
      gstNumber: '123456789 RT0001',
      qstNumber: '1234567890 TQ0001',
      ...seller,
    },
    buyer: {
      name: CLIENT_NAME,
      address: { line1: '45, rue Saint-Jean', line2: 'Bureau 3', city: 'Québec', region: 'QC', postalCode: 'G1R 1N9', country: 'CA' },
      emails: ['comptes@lefevre-ozturk.example'],
      ...buyer,
    },
    lines: () => toAsync(typeof lines === 'function' ? lines() : lines),
    attachments: () => toAsync(attachments),
  };
}

/** An attachment whose bytes are given (or fail to load when `bytes` is an Error). */
export function attachment(overrides: Partial<Omit<DocumentAttachment, 'bytes'>> & { bytes?: Buffer | Error } = {}): DocumentAttachment {
  const { bytes = Buffer.from('plain text'), ...rest } = overrides;
  return {
    group: null,
    name: 'notes.txt',
    mediaType: 'text/plain',
    size: bytes instanceof Error ? 1234 : bytes.length,
    ...rest,
    bytes: async () => {
      if (bytes instanceof Error) throw bytes;
      return bytes;
    },
  };
}

async function* toAsync<T>(items: Iterable<T>): AsyncIterable<T> {
  for (const item of items) yield item;
}

/**
 * A progressive-billing invoice of `count` lines over sub-tasks of 100 lines each, generated
 * on demand (never held in an array) so it measures the renderer's memory, not the fixture's.
 * Every tenth description is long enough to wrap; the last line is "Dernière ligne n° {count}".
 */
export function manyLinesDocument(count: number, overrides: FixtureOverrides = {}, perGroup = 100): InvoiceDocument {
  const amount = (i: number) => 1_000 + (i % 5_000) * 7; // cents
  const groupOf = (g: number): DocumentSource => ({
    taskId: `01960000-0000-7000-8000-${String(g).padStart(12, '0')}`,
    number: `T-${2000 + g}`,
    title: `Installation fibre optique — secteur ${g}`,
    completedAt: '2026-03-02T20:30:00Z',
    assignees: ['Kim Nguyễn', 'Zoë Ŀewandowska'],
  });
  function* lines(): Iterable<DocumentLine> {
    let group: DocumentSource | null = null;
    for (let i = 0; i < count; i++) {
      if (i % perGroup === 0) {
        group = groupOf(i / perGroup);
      }
      const description =
        i === count - 1
          ? `Dernière ligne n° ${count}`
          : i % 10 === 0
            ? `Ligne ${i + 1} — pose de conduit, tirage de câble à 144 fibres, épissures par fusion et essais OTDR bidirectionnels du tronçon ${i % 97}`
            : `Ligne ${i + 1} — raccordement abonné ${i % 97}`;
      yield {
        group,
        description,
        quantity: '1',
        unit: 'u',
        unitPriceCents: amount(i),
        amountCents: amount(i),
        taxTreatment: 'taxable',
      };
    }
  }
  return invoiceDocument({ number: 'F-2026-0100', lines, ...overrides });
}

/** A real 51×66 baseline JPEG (made with poppler's pdftoppm). */
export const TINY_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEABgAGAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjL/wAARCABCADMDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwD3i4lkiKbFZgc52x7v6jFVxdz7hmOTH/Xuf/iqusgcgktx6MR/KkSJUOQXPb5nJ/nQBDDcu2FeKXdnr5e0fzqdHLjJjZPZsf0NOooAKKKKACiiigAooooAKKKKACiiigAooooAKKKKACiiigAooooAKKKKACiiigAooooAKKKKACiiigAooooAKKKKACiiigAooooA/9k=',
  'base64',
);

/** A valid PNG of `width`×`height` pixels, 8-bit RGB or RGBA, built with zlib. */
export function pngBytes(width: number, height: number, alpha = false): Buffer {
  const channels = alpha ? 4 : 3;
  const raw = Buffer.alloc(height * (1 + width * channels));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * channels);
    for (let x = 0; x < width * channels; x++) raw[row + 1 + x] = (x * 37 + y * 11) & 0xff;
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, alpha ? 6 : 2, 0, 0, 0], 8);
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A PNG chunk with its CRC: corrupt files keep valid CRCs so only the damage under test shows. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
