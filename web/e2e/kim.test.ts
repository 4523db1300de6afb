// Issue 9's proof, Kim's story (../shared/seed): progressive billing set up from the admin
// screens alone. The admin fills in the organization, turns on "Facturation progressive", writes
// the month-end close and the "email the invoice + next month's Invoice task" rule in the rule
// editor (first with a mistake the server places at its field); technicians complete their work
// on phones; the month-end is run from the rule's page; the invoice is issued with its number
// shown, its PDF holds the tasks' numbers, the email is written to the outbox as a .eml, and next
// month's Invoice task is open and takes the next completion. A dispatcher sees no admin screen.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createWorker } from '../../src/worker.ts';
import { addUser, signupApi, taskTypeIds, tokenFor, type ApiClient } from './api.ts';
import { assertWebBuilt, checkScreen, DESKTOP, describeEachStore, launchBrowser, openPage, PHONE, startChantier, type Chantier } from './harness.ts';
import { logIn } from './steps.ts';

assertWebBuilt();

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name, exact: true }).click();

/** A technician, on a phone: opens the task, starts it, adds a line, completes it. */
async function completeOnPhone(server: Chantier, email: string, taskId: string, line: { description: string; quantity: string; price: string }): Promise<void> {
  const { context, page } = await openPage(browser, server.url, { viewport: PHONE });
  try {
    await logIn(page, email);
    await page.goto(`/tech/tasks/${taskId}`);
    await page.getByRole('button', { name: 'Démarrer' }).click();
    await page.getByRole('button', { name: 'Terminer' }).waitFor();
    await page.getByRole('button', { name: 'Ajouter une ligne' }).click();
    await page.getByLabel('Description', { exact: true }).fill(line.description);
    await page.getByLabel('Quantité', { exact: true }).fill(line.quantity);
    await page.getByLabel('Prix unitaire', { exact: true }).fill(line.price);
    await page.getByRole('button', { name: 'Ajouter la ligne' }).click();
    await page.getByRole('region', { name: 'Lignes' }).getByText(line.description).waitFor();
    await page.getByRole('button', { name: 'Terminer' }).click();
    await page.getByText('Terminée', { exact: true }).waitFor();
  } finally {
    await context.close();
  }
}

/** Adds an action of this type at the end of the rule being edited. */
async function addAction(page: Page, type: string): Promise<void> {
  await page.getByLabel('Action à ajouter').selectOption(type);
  await page.getByRole('button', { name: 'Ajouter une action' }).click();
}

describeEachStore('Kim’s progressive billing, set up from the admin screens', (store) => {
  let server: Chantier;
  before(async () => {
    server = await startChantier(store);
  });
  after(async () => {
    await server?.close();
  });

  it('closes the month from the rule’s page: invoice numbered, PDF with the tasks’ numbers, email in the outbox, next month’s invoice open', async () => {
    const stamp = Math.random().toString(36).slice(2, 8);
    const kimEmail = `kim-${stamp}@example.com`;
    const kim = await signupApi(server.url, { orgName: 'Fibre Kim inc.', name: 'Kim Tremblay', email: kimEmail });
    const types = await taskTypeIds(kim);
    // Set-up the story is not about: people, the client, the month's Invoice task and the work.
    const techs = [`luc-${stamp}@example.com`, `ana-${stamp}@example.com`];
    const techIds = [await addUser(kim, 'technician', 'Luc Gagnon', techs[0]), await addUser(kim, 'technician', 'Ana Roy', techs[1])];
    const client = await kim.call('POST', '/api/v1/clients', {
      name: 'Réseau Boréal inc.',
      taxRegion: 'QC',
      language: 'fr',
      billingEmails: ['factures@boreal.example'],
    });
    const november = await kim.call('POST', '/api/v1/tasks', { typeId: types.invoice, title: 'Facture Réseau Boréal — novembre', clientId: client.id });
    const work = [
      await kim.call('POST', '/api/v1/tasks', { typeId: types.work, title: 'Fibre — 12 rue des Érables', clientId: client.id, assigneeIds: [techIds[0]] }),
      await kim.call('POST', '/api/v1/tasks', { typeId: types.work, title: 'Fibre — 9 rue Mountain', clientId: client.id, assigneeIds: [techIds[1]] }),
    ];

    const { context, page } = await openPage(browser, server.url, { viewport: DESKTOP });
    page.on('dialog', (d) => void d.accept());
    try {
      await logIn(page, kimEmail);

      // The organization, as invoices show it.
      await nav(page, 'Paramètres');
      // What is missing before an invoice can be issued, said plainly; then filled in.
      const notReady = page.getByRole('status').filter({ hasText: 'Avant de pouvoir émettre une facture, il manque' });
      await notReady.waitFor();
      for (const missing of ['l’adresse', 'le numéro de TPS/TVH', 'le numéro de TVQ']) await notReady.getByText(missing, { exact: true }).waitFor();
      await checkScreen(page, `${store}-admin-organization-missing`);
      await page.getByLabel('Adresse (ligne 1)').fill('200 boulevard Laurier');
      await page.getByLabel('Ville').fill('Québec');
      await page.getByLabel('Province').fill('QC');
      await page.getByLabel('Code postal').fill('G1V 2L8');
      await page.getByLabel('Numéro de TPS/TVH').fill('123456789RT0001');
      await page.getByLabel('Numéro de TVQ').fill('1234567890TQ0001');
      await page.getByRole('button', { name: 'Enregistrer l’organisation' }).click();
      await page.getByText('Organisation enregistrée.').waitFor();
      await page.getByText('L’organisation est prête à émettre des factures.').waitFor();
      const org = await kim.call('GET', '/api/v1/organization');
      assert.deepEqual([org.gstNumber, org.qstNumber, org.address.city], ['123456789RT0001', '1234567890TQ0001', 'Québec']);
      await checkScreen(page, `${store}-admin-organization`);
      await page.getByRole('link', { name: 'Utilisateurs' }).click();
      await page.getByRole('heading', { name: 'Personnes' }).waitFor();
      await checkScreen(page, `${store}-admin-users`);
      await page.getByRole('link', { name: 'Types de tâches' }).click();
      await page
        .getByRole('heading', { name: /Facture/ })
        .first()
        .waitFor();
      await checkScreen(page, `${store}-admin-task-types`);

      // Progressive billing: one switch, explained in words.
      await nav(page, 'Règles');
      await page.getByRole('switch', { name: 'Facturation progressive' }).check();
      await waitForRule(kim, 'progressive_billing', true);
      await checkScreen(page, `${store}-admin-rules`);

      // The month-end close: last day of the month at 17:00, every open Invoice task with lines.
      await page.getByRole('link', { name: 'Nouvelle règle' }).click();
      await page.getByLabel('Nom de la règle').fill('Clôture de fin de mois');
      await page.getByLabel('Type de déclencheur').selectOption('schedule');
      await page.getByLabel('Activer dès l’enregistrement').check();
      await addAction(page, 'transition_task');
      await page.getByLabel('Nouveau statut').selectOption('closed');
      await page.getByRole('button', { name: 'Enregistrer la règle' }).click();
      await page.waitForURL(/\/rules\/[0-9a-f-]{36}$/);
      const monthEndUrl = page.url();
      await page.getByRole('heading', { name: 'Prochaines occurrences' }).waitFor();

      // The invoice's email (PDF attached) and next month's Invoice task, when an invoice closes.
      await nav(page, 'Règles');
      await page.getByRole('link', { name: 'Nouvelle règle' }).click();
      await page.getByLabel('Nom de la règle').fill('Envoyer la facture et ouvrir celle du mois suivant');
      await page.getByLabel('Selon', { exact: true }).selectOption('status');
      await page.getByLabel('Statut', { exact: true }).selectOption('closed');
      await page.getByRole('group', { name: 'Types de tâches (aucun : tous)' }).getByLabel('Facture').check();
      await page.getByLabel('Activer dès l’enregistrement').check();
      await addAction(page, 'send_email');
      const fr = page.getByRole('group', { name: 'Courriel en français' });
      const en = page.getByRole('group', { name: 'Courriel en anglais' });
      await fr.getByLabel('Objet').fill('Facture {invoice.numero}'); // the mistake
      await fr.getByLabel('Corps du message').fill('Bonjour,\nVoici votre facture.');
      await en.getByLabel('Objet').fill('Invoice {invoice.number}');
      await en.getByLabel('Body').or(en.getByLabel('Corps du message')).fill('Hello,\nHere is your invoice.');
      await page.getByLabel('La facture émise (PDF)').check();
      await addAction(page, 'create_task');
      await page.getByLabel('Titre', { exact: true }).fill('Facture {client.name} — {period.next.month_name} {period.next.year}');
      await page.getByRole('button', { name: 'Enregistrer la règle' }).click();
      // The server's refusal, at the field it concerns (actions.0.templates.fr.subject).
      const error = fr.locator('.field-error');
      await error.waitFor();
      assert.match(await error.innerText(), /invoice\.numero/);
      assert.equal(await en.locator('.field-error').count(), 0);
      assert.equal(await fr.getByLabel('Objet').getAttribute('aria-invalid'), 'true');
      await checkScreen(page, `${store}-admin-rule-error`);
      // Fixed with the variable picker: the variable goes where the cursor is.
      await fr.getByLabel('Objet').fill('Facture ');
      await page.getByLabel('Variable', { exact: true }).selectOption('invoice.number');
      await page.getByRole('button', { name: 'Insérer la variable' }).click();
      assert.equal(await fr.getByLabel('Objet').inputValue(), 'Facture {invoice.number}');
      await page.getByRole('button', { name: 'Enregistrer la règle' }).click();
      await page.waitForURL(/\/rules\/[0-9a-f-]{36}$/);
      await page.getByRole('heading', { name: 'Journal d’exécution' }).waitFor();
      await checkScreen(page, `${store}-admin-rule-editor`);

      // The technicians complete their work on their phones; progressive billing fills November's invoice.
      await completeOnPhone(server, techs[0], work[0].id, { description: 'Raccordement fibre', quantity: '1', price: '350,00' });
      await completeOnPhone(server, techs[1], work[1].id, { description: 'Épissures', quantity: '12', price: '18,00' });

      // The month-end, run from the rule's page.
      await page.goto(monthEndUrl);
      await page.getByRole('button', { name: 'Exécuter maintenant' }).click();
      const issued = page.getByText(/Facture émise : /);
      await issued.waitFor();
      const [invoice] = (await kim.call('GET', `/api/v1/invoices?taskId=${november.id}&kind=invoice`)).items;
      assert.ok(invoice, 'November’s invoice is issued');
      assert.ok((await issued.innerText()).startsWith(`Facture émise : ${invoice.number}`), await issued.innerText());
      await page.getByRole('heading', { name: 'Occurrences passées' }).waitFor();
      await checkScreen(page, `${store}-admin-rule-schedule`);

      // Its PDF holds the numbers of the completed tasks whose work it bills.
      const pdf = await fetch(`${server.url}/api/v1/invoices/${invoice.id}/pdf`, { headers: { authorization: `Bearer ${kim.token}` } });
      assert.equal(pdf.status, 200);
      const dir = mkdtempSync(join(tmpdir(), 'kim-pdf-'));
      writeFileSync(join(dir, 'invoice.pdf'), Buffer.from(await pdf.arrayBuffer()));
      const text = execFileSync('pdftotext', ['-layout', join(dir, 'invoice.pdf'), '-'], { encoding: 'utf8' });
      for (const w of work) assert.ok(text.includes(w.displayNumber), `the PDF names ${w.displayNumber}:\n${text}`);
      assert.ok(text.includes(invoice.number));

      // The email, delivered by the outbox worker as a .eml (no SMTP_URL), with the invoice attached.
      await createWorker(server.deps).runOnce();
      const emails = (await kim.call('GET', '/api/v1/emails')).items;
      assert.equal(emails.length, 1, JSON.stringify(emails));
      const outbox = join(server.deps.config.dataDir, 'outbox');
      const eml = readdirSync(outbox).filter((f) => f.endsWith('.eml'));
      assert.equal(eml.length, 1);
      const message = readFileSync(join(outbox, eml[0]), 'utf8');
      assert.match(message, new RegExp(`Subject: .*${invoice.number.replace(/[-]/g, '\\-')}`));
      assert.match(message, /factures@boreal\.example/);
      assert.match(message, /application\/pdf/);

      // Next month's Invoice task is open and takes the next completion.
      const invoices = (await kim.call('GET', `/api/v1/tasks?typeId=${types.invoice}&clientId=${client.id}`)).items;
      const next = invoices.find((t: { id: string }) => t.id !== november.id);
      assert.ok(next, 'next month’s Invoice task exists');
      assert.equal(next.statusCategory, 'open');
      assert.match(next.title, /Réseau Boréal inc\. — décembre 2026|Réseau Boréal inc\. — /);
      const third = await kim.call('POST', '/api/v1/tasks', {
        typeId: types.work,
        title: 'Fibre — 3 rue du Parc',
        clientId: client.id,
        assigneeIds: [techIds[0]],
      });
      await completeOnPhone(server, techs[0], third.id, { description: 'Raccordement fibre', quantity: '1', price: '350,00' });
      const view = await kim.call('GET', `/api/v1/tasks/${next.id}/invoice?limit=100`);
      assert.ok(JSON.stringify(view).includes(third.displayNumber), 'next month’s invoice holds the next completion');
    } finally {
      await context.close();
    }
  });

  it('keeps the admin screens from a dispatcher', async () => {
    const stamp = Math.random().toString(36).slice(2, 8);
    const admin = await signupApi(server.url, { orgName: 'Fibre Kim inc.', name: 'Kim', email: `kim2-${stamp}@example.com` });
    const email = `nadia-${stamp}@example.com`;
    await addUser(admin, 'dispatcher', 'Nadia', email);
    const { context, page } = await openPage(browser, server.url, { viewport: DESKTOP });
    try {
      await logIn(page, email);
      await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Tâches' }).waitFor();
      for (const name of ['Règles', 'Paramètres'])
        assert.equal(await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name }).count(), 0, name);
      for (const path of ['/rules', '/rules/new', '/settings', '/settings/users', '/settings/task-types']) {
        await page.goto(path);
        await page.waitForURL('**/tasks');
        assert.equal(await page.getByRole('heading', { name: /Règles d’automatisation|Utilisateurs|Types de tâches|Organisation/ }).count(), 0, path);
      }
      // And the server refuses anyway.
      const dispatcher = await tokenFor(server.url, email);
      const refused = await fetch(`${server.url}/api/v1/automations`, { headers: { authorization: `Bearer ${dispatcher.token}` } });
      assert.equal(refused.status, 403);
    } finally {
      await context.close();
    }
  });
});

async function waitForRule(client: ApiClient, key: string, enabled: boolean): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const rules = (await client.call('GET', '/api/v1/automations')).items as { key: string | null; enabled: boolean }[];
    if (rules.find((r) => r.key === key)?.enabled === enabled) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`rule ${key} is not ${enabled ? 'enabled' : 'disabled'}`);
}
