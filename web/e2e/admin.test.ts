// Issue 9's admin screens, people and data: an admin adds a dispatcher, cannot demote the last
// admin (the server's refusal shown in words), creates an API token whose secret is shown once
// and works, revokes it; a task type's workflow edited as data is refused while tasks hold the
// removed status, and the refusal is explained; a webhook's generated secret is shown once; the
// organization's phone, email and email sender name are kept, a bad email refused by its field.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { signupApi, taskTypeIds } from './api.ts';
import { assertWebBuilt, DESKTOP, describeEachStore, launchBrowser, openPage, startChantier, type Chantier } from './harness.ts';
import { logIn } from './steps.ts';

assertWebBuilt();

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

describeEachStore('Admin screens: people, tokens, task types', (store) => {
  let server: Chantier;
  before(async () => {
    server = await startChantier(store);
  });
  after(async () => {
    await server?.close();
  });

  it('adds a person, protects the last admin, shows a token once and revokes it, explains a refused workflow', async () => {
    const stamp = Math.random().toString(36).slice(2, 8);
    const email = `admin-${stamp}@example.com`;
    const admin = await signupApi(server.url, { orgName: 'Fibre Kim inc.', name: 'Kim Tremblay', email });
    const { context, page } = await openPage(browser, server.url, { viewport: DESKTOP });
    page.on('dialog', (d) => void d.accept());
    try {
      await logIn(page, email);
      await page.goto('/settings/users');
      const add = page.getByRole('region', { name: 'Ajouter une personne' });
      await add.getByLabel('Nom', { exact: true }).fill('Nadia Roy');
      await add.getByLabel('Courriel', { exact: true }).fill(`nadia-${stamp}@example.com`);
      await add.getByLabel('Mot de passe initial').fill('correct horse battery');
      await add.getByLabel('Rôle').selectOption('dispatcher');
      await add.getByRole('button', { name: 'Ajouter' }).click();
      await page.getByRole('cell', { name: 'Nadia Roy', exact: true }).waitFor();
      assert.equal(await page.getByLabel('Rôle de Nadia Roy').inputValue(), 'dispatcher');

      // The last admin stays: the server refuses, the page says why, and the role is unchanged.
      await page.getByLabel('Rôle de Kim Tremblay').selectOption('technician');
      const refusal = page.getByRole('row', { name: /Kim Tremblay/ }).getByRole('alert');
      await refusal.waitFor();
      assert.ok((await refusal.innerText()).length > 10);
      await page.waitForFunction(() => (document.querySelector('select[aria-label="Rôle de Kim Tremblay"]') as HTMLSelectElement | null)?.value === 'admin');
      assert.equal((await admin.call('GET', `/api/v1/users/${admin.userId}`)).role, 'admin');

      // A token: the secret is shown once, works, and stops working once revoked.
      await page.getByLabel('Nom du jeton').fill('Comptabilité');
      await page.getByRole('button', { name: 'Créer un jeton' }).click();
      const secret = (await page.locator('code.secret').innerText()).trim();
      const me = (token: string) => fetch(`${server.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal((await me(secret)).status, 200);
      await page.getByRole('button', { name: 'Révoquer Comptabilité' }).click();
      await page
        .getByRole('row', { name: /Comptabilité/ })
        .getByText('Révoqué')
        .waitFor();
      assert.equal((await me(secret)).status, 401);
      await page.reload();
      assert.equal(await page.locator('code.secret').count(), 0, 'the secret is not shown again');

      // A workflow edited as data: removing a status that tasks hold is refused, in words.
      const types = await taskTypeIds(admin);
      await admin.call('POST', '/api/v1/tasks', { typeId: types.work, title: 'Raccordement' });
      const work = await admin.call('GET', `/api/v1/task-types/${types.work}`);
      const workflow = {
        initial: 'scheduled',
        statuses: work.workflow.statuses.filter((s: { key: string }) => s.key !== 'todo'),
        transitions: work.workflow.transitions.filter((t: { from: string; to: string }) => t.from !== 'todo' && t.to !== 'todo'),
      };
      await page.goto('/settings/task-types');
      await page.getByRole('button', { name: 'Modifier Travail' }).click();
      await page.getByLabel('Flux de travail (JSON)').fill(JSON.stringify(workflow, null, 2));
      await page.getByRole('button', { name: 'Enregistrer le type' }).click();
      await page.getByText('Des tâches portent ce statut (« todo »)').waitFor();
      assert.equal((await admin.call('GET', `/api/v1/task-types/${types.work}`)).workflow.initial, 'todo');

      // A type an enabled rule names cannot be deleted; the rule is named.
      const progressive = (await admin.call('GET', '/api/v1/automations')).items.find((r: { key: string | null }) => r.key === 'progressive_billing');
      await admin.call('POST', `/api/v1/automations/${progressive.id}/enable`);
      await page.getByRole('button', { name: 'Supprimer Facture' }).click();
      await page.getByText('Des règles activées nomment ce type (« Progressive billing »)').waitFor();
      assert.ok((await admin.call('GET', '/api/v1/task-types')).items.some((t: { key: string }) => t.key === 'invoice'));

      // A webhook's generated secret: shown once on the rule's page, then only its hint.
      await page.goto('/rules/new');
      await page.getByLabel('Nom de la règle').fill('Avertir la comptabilité');
      await page.getByLabel('Action à ajouter').selectOption('webhook');
      await page.getByRole('button', { name: 'Ajouter une action' }).click();
      await page.getByLabel('Adresse (URL)').fill('https://hooks.example.com/chantier');
      await page.getByRole('button', { name: 'Enregistrer la règle' }).click();
      await page.waitForURL(/\/rules\/[0-9a-f-]{36}$/);
      const shown = (await page.locator('code.secret').innerText()).trim();
      assert.ok(shown.length >= 24, shown);
      const ruleId = page.url().split('/').pop();
      const stored = await admin.call('GET', `/api/v1/automations/${ruleId}`);
      assert.equal(stored.actions[0].secret, undefined, 'the API never shows the secret again');
      assert.ok(typeof stored.actions[0].secretHint === 'string');
      // The page forgets the secret in the browser's history in an effect after it shows it; a
      // reload before that effect (a loaded machine) would show it again, as a real reload would.
      await page.waitForFunction(() => !(window.history.state as { usr?: { secrets?: unknown } } | null)?.usr?.secrets);
      await page.reload();
      await page.getByText(`Secret actuel : ${stored.actions[0].secretHint}`).waitFor();
      assert.equal(await page.locator('code.secret').count(), 0);
    } finally {
      await context.close();
    }
  });
  it("keeps the organization's phone, email and the name emails are sent under, and refuses a bad email by its field", async () => {
    const stamp = Math.random().toString(36).slice(2, 8);
    const email = `org-${stamp}@example.com`;
    const admin = await signupApi(server.url, { orgName: 'Pavage Martin', name: 'Luc Martin', email });
    const { context, page } = await openPage(browser, server.url, { viewport: DESKTOP });
    try {
      await logIn(page, email);
      await page.goto('/settings');
      await page.getByLabel('Téléphone').fill('450 555-0142');
      await page.getByLabel('Courriel', { exact: true }).fill('pas une adresse');
      await page.getByLabel('Nom d’expéditeur des courriels').fill('Pavage Martin — facturation');
      await page.getByRole('button', { name: 'Enregistrer l’organisation' }).click();
      await page.getByText('Rien n’est enregistré : corrigez les champs signalés ci-dessous.').waitFor();
      assert.equal((await admin.call('GET', '/api/v1/organization')).phone, null, 'a refused edit changes nothing');

      await page.getByLabel('Courriel', { exact: true }).fill('factures@pavage-martin.example');
      await page.getByRole('button', { name: 'Enregistrer l’organisation' }).click();
      await page.getByText('Organisation enregistrée.').waitFor();
      const org = await admin.call('GET', '/api/v1/organization');
      assert.deepEqual([org.phone, org.email, org.emailSenderName], ['450 555-0142', 'factures@pavage-martin.example', 'Pavage Martin — facturation']);
      assert.equal(await page.getByText('pas encore gérés par le serveur').count(), 0);

      // Emptied, a field is cleared.
      await page.getByLabel('Téléphone').fill('');
      await page.getByRole('button', { name: 'Enregistrer l’organisation' }).click();
      // The "saved" notice may still be the previous one: wait for the server to have it.
      let phone: string | null = 'not yet';
      for (let i = 0; i < 50 && phone !== null; i++) {
        phone = (await admin.call('GET', '/api/v1/organization')).phone;
        if (phone !== null) await page.waitForTimeout(100);
      }
      assert.equal(phone, null);
    } finally {
      await context.close();
    }
  });
});
