// Issue 9's proof "Martin, billed" (../shared/seed), in a real browser, on each store: Martin's
// finished project waits in the client's unbilled work; one click creates the client's Invoice
// task, which takes it; its preview is the invoice's PDF marked "APERÇU — non émise"; closing it
// issues one invoice; a credit note on it puts the work back in the unbilled work (the dialog
// says so beforehand) and the next Invoice task takes it. Set-up the test is not about (people,
// rules, the project's lines) goes through the API; what the owner does goes through the screens.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { pdfText } from '../../src/invoicing/testkit.ts';
import { signupApi, taskTypeIds, type ApiClient } from './api.ts';
import { assertWebBuilt, checkScreen, DESKTOP, describeEachStore, launchBrowser, openPage, startChantier, type Chantier } from './harness.ts';
import { logIn, normalizeSpaces } from './steps.ts';

assertWebBuilt();

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

// Excavation 6.5 h × 145,00 $ = 942,50 $; paving 120.25 m² × 18,75 $ = 2 254,6875 → 2 254,69 $.
// Subtotal 3 197,19 $; GST 5 % = 159,8595 → 159,86 $; QST 9.975 % = 318,9197… → 318,92 $; total 3 675,97 $.
const TOTAL = '3 675,97 $';

function nav(page: Page, name: string): Promise<void> {
  return page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
}

/** Martin's project through the API: a main task, two sub-tasks with lines, all completed. */
async function finishedProject(admin: ApiClient, clientId: string, types: Record<string, string>): Promise<{ id: string; displayNumber: string }> {
  const main = await admin.call('POST', '/api/v1/tasks', { typeId: types.work, title: 'Stationnement de l’aréna', clientId });
  for (const [title, description, quantity, unitPriceCents] of [
    ['Excavation', 'Excavation — pelle mécanique', '6.5', 14_500],
    ['Pavage', 'Pavage — enrobé bitumineux', '120.25', 1_875],
  ] as const) {
    const sub = await admin.call('POST', '/api/v1/tasks', { typeId: types.work, title, clientId, parentId: main.id });
    await admin.call('POST', `/api/v1/tasks/${sub.id}/lines`, { description, quantity, unitPriceCents, taxTreatment: 'taxable' });
    await admin.call('POST', `/api/v1/tasks/${sub.id}/transitions`, { to: 'completed' });
  }
  await admin.call('POST', `/api/v1/tasks/${main.id}/transitions`, { to: 'completed' });
  return main;
}

/** GET a PDF with the page's session (what the browser downloads), as text. */
async function pdfAt(page: Page, href: string): Promise<string> {
  const res = await page.request.get(href);
  assert.equal(res.status(), 200, href);
  assert.equal(res.headers()['content-type'], 'application/pdf');
  return normalizeSpaces(await pdfText(await res.body()));
}

/** On the client's page: the unbilled work shows the project, then one click makes the Invoice task. */
async function invoiceTheUnbilledWork(page: Page, project: { displayNumber: string }, shot: string | null): Promise<string> {
  await nav(page, 'Clients');
  // The client list, not the page left behind (an Invoice task's page also names the client).
  await page.waitForURL(/\/clients$/);
  await page.getByRole('link', { name: 'Ville de Lévis', exact: true }).click();
  const unbilled = page.getByRole('region', { name: 'Travaux non facturés' });
  await unbilled.getByRole('link', { name: new RegExp(`^${project.displayNumber} — Stationnement`) }).waitFor();
  if (shot) await checkScreen(page, shot);
  await unbilled.getByRole('button', { name: 'Créer la tâche Facture' }).click();
  await page.getByRole('heading', { level: 1, name: /Facture — Ville de Lévis/ }).waitFor();
  return page.url();
}

/** The Invoice task's workflow button "Fermée": closing it issues the invoice. */
function closeInvoiceTask(page: Page): Promise<void> {
  return page.getByRole('region', { name: 'Changer le statut' }).getByRole('button', { name: 'Fermée', exact: true }).click();
}

describeEachStore('Martin, billed', (store) => {
  let server: Chantier;
  before(async () => {
    server = await startChantier(store);
  });
  after(async () => {
    await server?.close();
  });

  it('his finished project becomes one invoice from the unbilled work; a credit note puts the work back and the next invoice takes it', async () => {
    const stamp = Math.random().toString(36).slice(2, 8);
    const email = `martin-${stamp}@example.com`;
    const admin = await signupApi(server.url, { orgName: 'Excavation Martin inc.', name: 'Martin Lavoie', email });
    // The seller's details an invoice charging GST and QST needs (the Settings screen is E1's test).
    await admin.call('PATCH', '/api/v1/organization', {
      address: { line1: '250 route du Président-Kennedy', city: 'Lévis', region: 'QC', postalCode: 'G6V 6C9' },
      gstNumber: '123456789RT0001',
      qstNumber: '1234567890TQ0001',
    });
    const types = await taskTypeIds(admin);
    const rules = (await admin.call('GET', '/api/v1/automations')).items as { id: string; key: string | null }[];
    for (const key of ['consolidate_by_project', 'progressive_billing'])
      await admin.call('POST', `/api/v1/automations/${rules.find((r) => r.key === key)!.id}/enable`);
    await admin.call('POST', '/api/v1/automations', {
      name: 'Envoyer la facture',
      enabled: true,
      trigger: { type: 'status_entered', status: 'closed', taskTypeIds: [types.invoice] },
      actions: [
        {
          type: 'send_email',
          to: { clientBilling: true },
          templates: {
            fr: { subject: 'Facture {invoice.number}', body: 'Voici la facture.' },
            en: { subject: 'Invoice {invoice.number}', body: 'Here is the invoice.' },
          },
          attach: { invoicePdf: true },
        },
      ],
    });
    const client = await admin.call('POST', '/api/v1/clients', {
      name: 'Ville de Lévis',
      taxRegion: 'QC',
      language: 'fr',
      billingEmails: ['comptes@levis.example'],
    });
    const project = await finishedProject(admin, client.id, types);

    const { context, page } = await openPage(browser, server.url, { viewport: DESKTOP });
    try {
      await logIn(page, email);

      // 1. The unbilled work → the client's Invoice task, which takes it.
      await invoiceTheUnbilledWork(page, project, `${store}-billing-client-unbilled`);
      const consolidated = page.getByRole('region', { name: 'Contenu consolidé' });
      await consolidated.getByText('Pavage — enrobé bitumineux').first().waitFor();

      // 2. Before issuing: the preview, same layout, marked, with the sub-task numbers and the total.
      const preview = page.getByRole('region', { name: 'Aperçu de la facture' });
      const previewHref = await preview.getByRole('link', { name: 'Ouvrir l’aperçu (PDF)' }).getAttribute('href');
      const previewText = await pdfAt(page, previewHref!);
      assert.match(previewText, /APERÇU — non émise/);
      assert.ok(previewText.includes(TOTAL), previewText);
      assert.ok(previewText.includes('Excavation — pelle mécanique') && previewText.includes('Pavage — enrobé bitumineux'), previewText);
      assert.equal((await admin.call('GET', '/api/v1/invoices')).items.length, 0, 'a preview issues nothing');
      await checkScreen(page, `${store}-billing-task-preview`);

      // 3. Closing the Invoice task issues the invoice; its page shows the number, the PDF, the email.
      await closeInvoiceTask(page);
      const issuedLink = page.getByRole('link', { name: /^Facture émise : / });
      await issuedLink.waitFor();
      const first = normalizeSpaces((await issuedLink.innerText()).replace('Facture émise :', ''));
      await issuedLink.click();
      await page.getByRole('heading', { level: 1, name: `Facture ${first}` }).waitFor();
      const pdfHref = await page.getByRole('link', { name: 'Télécharger le PDF' }).getAttribute('href');
      const invoiceText = await pdfAt(page, pdfHref!);
      assert.ok(invoiceText.includes(first) && invoiceText.includes(TOTAL) && !invoiceText.includes('APERÇU'), invoiceText);
      const emails = page.getByRole('region', { name: 'Courriels de cette facture' });
      await emails.getByText(`Facture ${first}`).waitFor();
      await page.getByRole('button', { name: 'Afficher le PDF' }).click();
      await page.locator('iframe.pdf-frame').waitFor();
      await page.getByRole('button', { name: 'Masquer le PDF' }).click();
      await checkScreen(page, `${store}-billing-invoice`);

      // 4. The list: by number, by client, by kind.
      await nav(page, 'Factures');
      await page.getByLabel('Numéro', { exact: true }).fill(first);
      const rows = page.getByRole('region', { name: /Factures et notes de crédit/ }).getByRole('row');
      await rows.filter({ hasText: first }).waitFor();
      await checkScreen(page, `${store}-billing-invoices`);

      // 5. The credit note: the dialog says where the work goes, then it goes there.
      await rows.getByRole('link', { name: first }).click();
      await page.getByRole('button', { name: 'Émettre une note de crédit' }).click();
      const dialog = page.getByRole('dialog', { name: `Annuler la facture ${first} ?` });
      await dialog.getByText(/pas de tâche Facture ouverte/).waitFor();
      await checkScreen(page, `${store}-billing-credit-dialog`);
      await dialog.getByRole('button', { name: 'Émettre la note de crédit' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /Note de crédit .* émise/ })
        .waitFor();
      await page.getByText('Créditée', { exact: true }).first().waitFor();

      // 6. The work is unbilled again; the next Invoice task takes it and issues a new invoice.
      await invoiceTheUnbilledWork(page, project, null);
      await consolidated.getByText('Pavage — enrobé bitumineux').first().waitFor();
      await closeInvoiceTask(page);
      const secondLink = page.getByRole('link', { name: /^Facture émise : / });
      await secondLink.waitFor();
      const second = normalizeSpaces((await secondLink.innerText()).replace('Facture émise :', ''));
      assert.notEqual(second, first);
      const secondText = await pdfAt(page, `/api/v1/invoices/${(await admin.call('GET', `/api/v1/invoices?q=${encodeURIComponent(second)}`)).items[0].id}/pdf`);
      assert.ok(secondText.includes(TOTAL) && secondText.includes('Excavation — pelle mécanique'), secondText);
      const all = (await admin.call('GET', `/api/v1/invoices?clientId=${client.id}`)).items as {
        number: string;
        kind: string;
        status: string | null;
        totals: { totalCents: number };
      }[];
      assert.deepEqual(
        all.map((i) => [i.number, i.kind, i.status, i.totals.totalCents]).sort(),
        [
          [first, 'invoice', 'credited', 367_597],
          [second, 'invoice', 'unpaid', 367_597],
          [all.find((i) => i.kind === 'credit_note')!.number, 'credit_note', null, -367_597],
        ].sort(),
      );
      // The first Invoice task is cancelled by the credit note; nothing waits any more.
      assert.equal((await admin.call('GET', `/api/v1/clients/${client.id}/unbilled`)).items.length, 0);

      // 7. Payment mark on the new invoice.
      await secondLink.click();
      await page.getByRole('button', { name: 'Marquer payée' }).click();
      await page.getByRole('button', { name: 'Marquer impayée' }).waitFor();
      assert.equal((await admin.call('GET', `/api/v1/invoices?q=${encodeURIComponent(second)}`)).items[0].status, 'paid');

      // 8. The outbox: a failed email (the SMTP server refused it) is retried from the screen.
      const outbox = (await admin.call('GET', '/api/v1/emails')).items as { id: string; subject: string }[];
      const failed = outbox.find((e) => e.subject === `Facture ${second}`)!;
      await server.deps.db.kysely
        .updateTable('outbox')
        .set({ state: 'failed', attempts: 8, last_error: '550 mailbox unavailable' })
        .where('id', '=', failed.id)
        .execute();
      await nav(page, 'Courriels');
      const row = page.getByRole('row').filter({ hasText: `Facture ${second}` });
      await row.getByText('550 mailbox unavailable').waitFor();
      await row.getByText('Échec').waitFor();
      await checkScreen(page, `${store}-billing-emails`);
      await row.getByRole('button', { name: /^Réessayer/ }).click();
      await row.getByText('En attente').waitFor();
      assert.equal((await admin.call('GET', `/api/v1/emails/${failed.id}`)).state, 'pending');
    } catch (err) {
      await page.screenshot({ path: `test-results/screens/${store}-billing-failure.png`, fullPage: true }).catch(() => {});
      throw err;
    } finally {
      await context.close();
    }
  });
});
