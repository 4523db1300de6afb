// The dispatcher's desk in a real browser, on each store: two tabs editing the same task (the
// conflict is explained, what was typed survives and can be saved), the desk in English with
// money in English, and the board checked with axe at both sizes.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { signupApi, taskTypeIds, type ApiClient } from './api.ts';
import { assertWebBuilt, checkScreenAtBothSizes, DESKTOP, describeEachStore, launchBrowser, startChantier, type Chantier } from './harness.ts';
import { normalizeSpaces, openSignedIn } from './steps.ts';

assertWebBuilt();

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

describeEachStore('the dispatcher’s desk', (store) => {
  let server: Chantier;
  let admin: ApiClient;
  let email: string;
  let task: { id: string; version: number };
  before(async () => {
    server = await startChantier(store);
    email = `sylvie-${Math.random().toString(36).slice(2, 8)}@example.com`;
    admin = await signupApi(server.url, { orgName: 'Toitures Gagnon', name: 'Sylvie Gagnon', email });
    const { work } = await taskTypeIds(admin);
    task = await admin.call('POST', '/api/v1/tasks', { typeId: work, title: 'Réfection du toit' });
    await admin.call('POST', `/api/v1/tasks/${task.id}/lines`, { description: 'Bardeaux', quantity: '12', unitPriceCents: 10288 });
  });
  after(async () => {
    await server?.close();
  });

  it('explains a conflict between two tabs editing the same task and loses nothing', async () => {
    const { context, page: first } = await openSignedIn(browser, server.url, email, { viewport: DESKTOP });
    try {
      const second = await context.newPage();
      for (const p of [first, second]) {
        await p.goto(`/tasks/${task.id}`);
        await p.getByRole('heading', { level: 1, name: /Réfection du toit/ }).waitFor();
        await p.getByRole('button', { name: 'Modifier', exact: true }).click();
      }
      const form = (p: typeof first) => p.getByRole('region', { name: 'Modifier la tâche' });
      // The first tab saves a new title.
      await form(first).getByLabel('Titre', { exact: true }).fill('Réfection du toit — phase 1');
      await form(first).getByRole('button', { name: 'Enregistrer', exact: true }).click();
      await first.getByRole('heading', { level: 1, name: /phase 1/ }).waitFor();
      // The second tab, opened before, saves its own: a stale version.
      await form(second).getByLabel('Titre', { exact: true }).fill('Réfection de la toiture');
      await form(second).getByLabel('Description', { exact: true }).fill('Bardeaux d’asphalte, côté nord');
      await form(second).getByRole('button', { name: 'Enregistrer', exact: true }).click();
      const notice = second.getByRole('alert').filter({ hasText: 'Modifié par quelqu’un d’autre' });
      await notice.waitFor();
      await checkScreenAtBothSizes(second, `${store}-desk-conflict`);
      assert.equal(await form(second).getByLabel('Titre', { exact: true }).inputValue(), 'Réfection de la toiture');
      assert.equal(await form(second).getByLabel('Description', { exact: true }).inputValue(), 'Bardeaux d’asphalte, côté nord');
      let saved = await admin.call('GET', `/api/v1/tasks/${task.id}`);
      assert.equal(saved.title, 'Réfection du toit — phase 1', 'the first tab’s save stands until the second one decides');
      // Having seen the current version, the person saves what they typed.
      await notice.getByRole('button', { name: 'Charger la version actuelle' }).click();
      await form(second).getByRole('button', { name: 'Enregistrer', exact: true }).click();
      await second.getByRole('heading', { level: 1, name: /Réfection de la toiture/ }).waitFor();
      saved = await admin.call('GET', `/api/v1/tasks/${task.id}`);
      assert.equal(saved.title, 'Réfection de la toiture');
      assert.equal(saved.description, 'Bardeaux d’asphalte, côté nord');
      assert.equal(saved.version, task.version + 2);
    } finally {
      await context.close();
    }
  });

  it('works in English, money included', async () => {
    const { context, page } = await openSignedIn(browser, server.url, email, { viewport: DESKTOP });
    try {
      await page.goto(`/tasks/${task.id}`);
      await page.getByLabel('Langue').selectOption('en');
      await page.getByRole('navigation').getByRole('link', { name: 'Tasks', exact: true }).waitFor();
      await page.getByRole('heading', { name: 'Billing lines' }).waitFor();
      // 12 × $102.88 = $1,234.56
      const lines = page.getByRole('region', { name: 'Billing lines' });
      await lines.getByText('$1,234.56').first().waitFor();
      assert.match(normalizeSpaces(await lines.innerText()), /\$102\.88/);
      await page.getByRole('button', { name: 'Log out' }).waitFor();
      await page.getByLabel('Language').selectOption('fr-CA');
      await page.getByRole('heading', { name: 'Lignes de facturation' }).waitFor();
      await page.getByRole('region', { name: 'Lignes de facturation' }).getByText('1 234,56 $').first().waitFor();
    } finally {
      await context.close();
    }
  });

  it('shows the board by status, accessible at both sizes', async () => {
    const { context, page } = await openSignedIn(browser, server.url, email, { viewport: DESKTOP });
    try {
      await page.goto('/tasks/board');
      await page.getByRole('heading', { level: 1, name: 'Tableau' }).waitFor();
      await page
        .getByText(/Réfection de la toiture|Réfection du toit/)
        .first()
        .waitFor();
      await checkScreenAtBothSizes(page, `${store}-desk-board`);
    } finally {
      await context.close();
    }
  });
});
