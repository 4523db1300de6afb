import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ruleIds, typeIds } from '../testing/defaults.ts';
import { fixedClock, testContext, type Org, type StoreName, type TestContext } from '../testing/harness.ts';

/** Helpers shared by the invoicing tests (not a test file itself). */
export interface Billing {
  ctx: TestContext;
  org: Org;
  workTypeId: string;
  invoiceTypeId: string;
  progressiveRuleId: string;
}

/** 2026-03-15 at 11:00 in Toronto: invoices issued now are dated 2026-03-15. */
export const ISSUE_INSTANT = '2026-03-15T15:00:00.000Z';

export async function billingContext(store: StoreName) {
  const clock = fixedClock(ISSUE_INSTANT);
  const ctx = await testContext(store, { clock });
  return { ctx, clock };
}

/** An organization with its task types and rules; ready to invoice (TEST_SELLER) unless `sellerDetails: false`. */
export async function billing(ctx: TestContext, opts: { sellerDetails?: boolean } = {}): Promise<Billing> {
  const org = await ctx.signup({ sellerDetails: opts.sellerDetails ?? true });
  const types = await typeIds(ctx, org);
  return { ctx, org, workTypeId: types.work, invoiceTypeId: types.invoice, progressiveRuleId: (await ruleIds(ctx, org)).progressive };
}

export async function ok(b: Billing, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, token = b.org.token) {
  const r = await b.ctx.call(method, url, token, body);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${url} → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export const client = (b: Billing, body: Record<string, unknown> = {}) =>
  ok(b, 'POST', '/api/v1/clients', { name: 'Famille Tremblay', taxRegion: 'QC', ...body });
export const invoiceTask = (b: Billing, clientId: string | null, title = 'Facture') =>
  ok(b, 'POST', '/api/v1/tasks', { typeId: b.invoiceTypeId, title, ...(clientId ? { clientId } : {}) });
export const workTask = (b: Billing, body: Record<string, unknown>) => ok(b, 'POST', '/api/v1/tasks', { typeId: b.workTypeId, ...body });
export const line = (b: Billing, taskId: string, description: string, quantity: string, unitPriceCents: number, taxTreatment = 'taxable') =>
  ok(b, 'POST', `/api/v1/tasks/${taskId}/lines`, { description, quantity, unitPriceCents, taxTreatment });
export const move = (b: Billing, taskId: string, to: string, token = b.org.token) => b.ctx.call('POST', `/api/v1/tasks/${taskId}/transitions`, token, { to });

/** Closes a billing task (issuing its invoice) and returns the invoice issued for it. */
export async function close(b: Billing, taskId: string) {
  const r = await move(b, taskId, 'closed');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return invoiceOf(b, taskId);
}

/** The task's live invoice (not credited), or undefined. */
export async function invoiceOf(b: Billing, taskId: string) {
  const list = await ok(b, 'GET', `/api/v1/invoices?taskId=${taskId}&kind=invoice`);
  return list.items.find((i: { status: string }) => i.status !== 'credited');
}

/** A client with one open invoice task holding one line; closing it issues an invoice. */
export async function readyInvoice(b: Billing, amountCents = 10_000, clientId?: string) {
  const c = clientId ?? (await client(b)).id;
  const t = await invoiceTask(b, c);
  await line(b, t.id, 'Main-d’œuvre', '1', amountCents);
  return t;
}

/** Every line of an issued invoice, all pages. */
export async function allInvoiceLines(b: Billing, invoiceId: string) {
  const out = [];
  let cursor: string | null = null;
  do {
    const page = await ok(b, 'GET', `/api/v1/invoices/${invoiceId}/lines?limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** The PDF's text as pdftotext reads it (no-break spaces folded to spaces). */
export async function pdfText(bytes: Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'chantier-invoice-'));
  try {
    const file = join(dir, 'invoice.pdf');
    await writeFile(file, bytes);
    const text = await new Promise<string>((resolve, reject) => {
      const child = spawn('pdftotext', ['-layout', file, '-'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const out: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out).toString('utf8')) : reject(new Error(`pdftotext exited with ${code}`))));
    });
    return text.replace(/[\u00a0\u202f]/g, ' ');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** GET /invoices/{id}/pdf as bytes. */
export async function pdfOf(b: Billing, invoiceId: string, token = b.org.token) {
  const res = await b.ctx.app.inject({ method: 'GET', url: `/api/v1/invoices/${invoiceId}/pdf`, headers: { authorization: `Bearer ${token}` } });
  return { status: res.statusCode, headers: res.headers, bytes: res.rawPayload };
}
