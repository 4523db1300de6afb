// The technician's phone in a real browser (360×740), on each store: only their own tasks,
// the server's message at the field, a write lost on the way applied once (same
// Idempotency-Key) while "En attente" shows it, two tabs in conflict, and English.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { addUser, signupApi, taskTypeIds, type ApiClient } from './api.ts';
import {
  assertPhoneFriendly,
  assertWebBuilt,
  checkScreen,
  DESKTOP,
  describeEachStore,
  launchBrowser,
  openPage,
  PHONE,
  startChantier,
  type Chantier,
} from './harness.ts';
import { commonMessages } from '../i18n/common-messages.ts';
import { logIn, openSignedIn } from './steps.ts';

assertWebBuilt();

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

interface World {
  server: Chantier;
  admin: ApiClient;
  luc: { id: string; email: string };
  julie: { id: string; email: string };
  main: { id: string; displayNumber: string };
  sub: { id: string; displayNumber: string };
  today: { id: string; displayNumber: string };
  julies: { id: string; title: string };
}

/** An organization with two technicians: Luc has a main task (with a sub-task) and a task today; Julie has one task. */
async function world(store: Parameters<typeof startChantier>[0]): Promise<World> {
  const server = await startChantier(store);
  const stamp = Math.random().toString(36).slice(2, 8);
  const admin = await signupApi(server.url, { orgName: 'Plomberie Gagnon', name: 'Sylvie Gagnon', email: `sylvie-${stamp}@example.com` });
  const lucEmail = `luc-${stamp}@example.com`;
  const julieEmail = `julie-${stamp}@example.com`;
  const luc = await addUser(admin, 'technician', 'Luc Bouchard', lucEmail);
  const julie = await addUser(admin, 'technician', 'Julie Roy', julieEmail);
  const { work } = await taskTypeIds(admin);
  const task = (body: Record<string, unknown>) => admin.call('POST', '/api/v1/tasks', { typeId: work, ...body });
  const now = new Date();
  const main = await task({ title: 'Rénovation salle de bain', assigneeIds: [luc] });
  const sub = await task({ title: 'Remplacer le chauffe-eau', parentId: main.id });
  // Scheduled now: today or earlier whenever the page looks (an hour ahead was tomorrow in the last hour of the day).
  const today = await task({ title: 'Fuite sous l’évier', assigneeIds: [luc], scheduledStart: now.toISOString() });
  const julies = await task({ title: 'Inspection chez Tremblay', assigneeIds: [julie] });
  return { server, admin, luc: { id: luc, email: lucEmail }, julie: { id: julie, email: julieEmail }, main, sub, today, julies };
}

async function openTechTask(page: Page, title: string): Promise<void> {
  for (const tab of ["Aujourd'hui", 'À venir']) {
    await page.getByRole('tab', { name: new RegExp(tab) }).click();
    const link = page.getByRole('link', { name: new RegExp(title) });
    // The tab's list loads after the click: wait for the task a while before trying the next tab.
    const found = await link
      .first()
      .waitFor({ timeout: 10_000 })
      .then(
        () => true,
        () => false,
      );
    if (found) {
      await link.click();
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      return;
    }
  }
  throw new Error(`no task "${title}" in Aujourd'hui or À venir`);
}

describeEachStore('the technician’s phone', (store) => {
  let w: World;
  before(async () => {
    w = await world(store);
  });
  after(async () => {
    await w?.server.close();
  });

  it('shows a technician their tasks and the sub-tasks under them, and nobody else’s', async () => {
    const { context, page } = await openSignedIn(browser, w.server.url, w.luc.email, { viewport: PHONE });
    try {
      await page.waitForURL('**/tech');
      await page.getByRole('heading', { level: 1, name: 'Mes tâches' }).waitFor();
      const today = page.getByRole('tabpanel');
      await today.getByRole('link', { name: /Fuite sous l’évier/ }).waitFor();
      await checkScreen(page, `${store}-tech-my-tasks`);
      await assertPhoneFriendly(page, 'Mes tâches');
      await page.getByRole('tab', { name: /À venir/ }).click();
      await page.getByRole('link', { name: /Rénovation salle de bain/ }).waitFor();
      const sub = page.getByRole('link', { name: /Remplacer le chauffe-eau/ });
      await sub.waitFor();
      assert.match(await sub.innerText(), new RegExp(`Sous-tâche de ${w.main.displayNumber}`));
      for (const tab of ["Aujourd'hui", 'À venir', 'Terminées']) {
        await page.getByRole('tab', { name: new RegExp(tab) }).click();
        assert.equal(await page.getByText('Inspection chez Tremblay').count(), 0, `Julie's task shows in ${tab}`);
      }
      // Julie's task by its address: the server says it does not exist for Luc.
      await page.goto(`/tech/tasks/${w.julies.id}`);
      await page.getByRole('alert').waitFor();
      assert.equal(await page.getByText('Inspection chez Tremblay').count(), 0);
      await page.setViewportSize(DESKTOP);
      await page.goto('/tech');
      await page.getByRole('link', { name: /Fuite sous l’évier/ }).waitFor();
      await checkScreen(page, `${store}-tech-my-tasks`);
    } finally {
      await context.close();
    }
  });

  it('shows the server’s message at the field it is about', async () => {
    const { context, page } = await openSignedIn(browser, w.server.url, w.luc.email, { viewport: PHONE });
    try {
      await openTechTask(page, 'Fuite sous l’évier');
      await page.getByRole('button', { name: 'Ajouter une ligne' }).click();
      await page.getByLabel('Description').fill('Raccord');
      await page.getByLabel('Quantité').fill('0');
      await page.getByLabel('Prix unitaire').fill('4,25');
      await page.getByRole('button', { name: 'Ajouter la ligne' }).click();
      // What the server answers for this body, asked directly.
      const refused = await fetch(`${w.server.url}/api/v1/tasks/${w.today.id}/lines`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${w.admin.token}` },
        body: JSON.stringify({ description: 'Raccord', quantity: '0', unitPriceCents: 425 }),
      });
      assert.equal(refused.status, 400);
      const { error } = (await refused.json()) as { error: { code: string; message: string } };
      // Shown at the Quantité field: the server's code in the person's words (the catalogue), else its message.
      const expected = (commonMessages['fr-CA'].errors as Record<string, string>)[error.code] ?? error.message;
      const quantity = page.getByLabel('Quantité');
      await page.waitForFunction(() => document.querySelector('[aria-invalid="true"]'));
      assert.equal(await quantity.getAttribute('aria-invalid'), 'true');
      const describedBy = (await quantity.getAttribute('aria-describedby'))!.split(' ');
      const said = await Promise.all(describedBy.map((id) => page.locator(`[id="${id}"]`).innerText()));
      assert.ok(said.includes(expected), `"${expected}" at the field; it says ${JSON.stringify(said)}`);
      assert.equal(error.code, 'invalid_quantity');
      // What the person typed is still there, and nothing was written.
      assert.equal(await page.getByLabel('Description').inputValue(), 'Raccord');
      const lines = await w.admin.call('GET', `/api/v1/tasks/${w.today.id}/lines`);
      assert.equal(lines.items.length, 0);
    } finally {
      await context.close();
    }
  });

  it('writes a line once when its answer is lost and the network drops, with the same Idempotency-Key on every try, pending until then', async () => {
    const { context, page } = await openSignedIn(browser, w.server.url, w.luc.email, { viewport: PHONE });
    try {
      await openTechTask(page, 'Remplacer le chauffe-eau');
      const keys: string[] = [];
      let network: 'answer lost' | 'down' | 'up' = 'answer lost';
      await page.route(`**/api/v1/tasks/${w.sub.id}/lines`, async (route) => {
        if (route.request().method() !== 'POST') return route.continue();
        keys.push(route.request().headers()['idempotency-key']);
        if (network === 'answer lost') {
          // The server writes the line, but its answer never reaches the phone; then no network at all.
          await route.fetch();
          network = 'down';
          return route.abort('connectionreset');
        }
        if (network === 'down') return route.abort('internetdisconnected');
        return route.continue();
      });
      await page.getByRole('button', { name: 'Ajouter une ligne' }).click();
      await page.getByLabel('Description').fill('Chauffe-eau 40 gallons');
      await page.getByLabel('Quantité').fill('1');
      await page.getByLabel('Prix unitaire').fill('649,99');
      await page.getByRole('button', { name: 'Ajouter la ligne' }).click();
      // The automatic retries are spent: the line waits under "En attente" with a retry button.
      const pending = page.getByRole('region', { name: /En attente/ });
      const item = pending.getByRole('listitem').filter({ hasText: 'Ligne : Chauffe-eau 40 gallons' });
      await item.getByRole('button', { name: 'Réessayer' }).waitFor();
      await checkScreen(page, `${store}-tech-pending`);
      assert.ok(keys.length >= 2, `sent ${keys.length} time(s)`);
      assert.equal(await page.getByLabel('Description').inputValue(), 'Chauffe-eau 40 gallons', 'what was typed stays');
      // The network is back; the technician presses "Réessayer".
      network = 'up';
      await item.getByRole('button', { name: 'Réessayer' }).click();
      await pending.waitFor({ state: 'detached' });
      await page.getByRole('region', { name: 'Lignes' }).getByText('Chauffe-eau 40 gallons').waitFor();
      assert.equal(new Set(keys).size, 1, `one Idempotency-Key for every try: ${keys.join(', ')}`);
      assert.ok(keys[0], 'an Idempotency-Key was sent');
      const lines = await w.admin.call('GET', `/api/v1/tasks/${w.sub.id}/lines`);
      assert.deepEqual(
        lines.items.map((l: { description: string; amountCents: number }) => [l.description, l.amountCents]),
        [['Chauffe-eau 40 gallons', 64999]],
      );
    } finally {
      await context.close();
    }
  });

  it('explains a conflict between two tabs and keeps what was typed', async () => {
    const { context, page: first } = await openSignedIn(browser, w.server.url, w.luc.email, { viewport: PHONE });
    try {
      await openTechTask(first, 'Rénovation salle de bain');
      const second = await context.newPage();
      await second.goto(first.url());
      await second.getByRole('heading', { level: 1, name: 'Rénovation salle de bain' }).waitFor();
      // The second tab has a line half typed when the first one starts the task.
      await second.getByRole('button', { name: 'Ajouter une ligne' }).click();
      await second.getByLabel('Description').fill('Céramique murale');
      await first.getByRole('button', { name: 'Démarrer' }).click();
      await first.getByText('En cours').waitFor();
      // The second tab still offers "Démarrer" (loaded before): pressing it is a stale version.
      await second.getByRole('button', { name: 'Démarrer' }).click();
      const alert = second.getByRole('alert').filter({ hasText: 'modifiée ailleurs' });
      await alert.waitFor();
      await checkScreen(second, `${store}-tech-conflict`);
      await assertPhoneFriendly(second, 'the task page with a conflict');
      assert.equal(await second.getByLabel('Description').inputValue(), 'Céramique murale');
      // Reloaded: the task is in progress and "Terminer" is offered.
      await second.getByRole('button', { name: 'Terminer' }).waitFor();
      const task = await w.admin.call('GET', `/api/v1/tasks/${w.main.id}`);
      assert.equal(task.status, 'in_progress');
    } finally {
      await context.close();
    }
  });

  it('works in English', async () => {
    const { context, page } = await openPage(browser, w.server.url, { viewport: PHONE });
    try {
      await logIn(page, w.julie.email);
      await page.getByRole('heading', { level: 1, name: 'Mes tâches' }).waitFor();
      // The person switches to English; the choice outlives a reload.
      await page.getByLabel('Langue').selectOption('en');
      await page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();
      await page.getByRole('tab', { name: /Upcoming/ }).click();
      await page.getByRole('link', { name: /Inspection chez Tremblay/ }).click();
      await page.getByRole('button', { name: 'Start' }).click();
      await page.getByRole('button', { name: 'Add a line' }).click();
      await page.getByLabel('Description').fill('Inspection');
      await page.getByLabel('Quantity').fill('1.5');
      await page.getByLabel('Unit price').fill('1234.50');
      await page.getByRole('button', { name: 'Add the line' }).click();
      // 1.5 × $1,234.50 = $1,851.75 in English formatting.
      await page.getByRole('region', { name: 'Lines' }).getByText('$1,851.75').first().waitFor();
      await checkScreen(page, `${store}-tech-task-en`);
      await assertPhoneFriendly(page, 'the task page in English');
      await page.getByRole('button', { name: 'Complete' }).click();
      await page.getByText('Completed').waitFor();
    } finally {
      await context.close();
    }
  });
});
