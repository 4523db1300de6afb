// Issue 8's proof, Martin's story (../shared/seed): in a real browser, on each store. An admin
// signs up and turns on "Consolider par projet"; a dispatcher creates a Quebec client, a main
// task and two sub-tasks for two technicians; each technician, on a 360×740 phone, adds lines,
// uploads a real photo and completes the sub-task; the dispatcher then sees both groups, the
// photos named by sub-task number and the right GST/QST totals.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { addUser, tokenFor } from './api.ts';
import {
  assertPhoneFriendly,
  assertWebBuilt,
  checkScreen,
  checkScreenAtBothSizes,
  DESKTOP,
  describeEachStore,
  launchBrowser,
  openPage,
  PHONE,
  startChantier,
  type Chantier,
} from './harness.ts';
import { makePng } from './png.ts';
import { logIn, normalizeSpaces } from './steps.ts';

assertWebBuilt();

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

interface LineInput {
  description: string;
  /** As typed on the phone (fr-CA: a decimal comma is accepted). */
  quantity: string;
  /** Dollars as typed. */
  price: string;
}

const EXCAVATION: LineInput[] = [
  { description: 'Excavation — pelle mécanique', quantity: '6.5', price: '145,00' },
  { description: 'Transport de la pelle', quantity: '1', price: '85,00' },
];
const PAVAGE: LineInput[] = [
  { description: 'Pavage — enrobé bitumineux', quantity: '120.25', price: '18,75' },
  { description: 'Scellant de joints', quantity: '3', price: '41,99' },
];

// The expected money, computed here from the inputs and the published rates, not by the app:
// a line is quantity × unit price rounded half-up to the cent; GST 5 % and QST 9.975 % are each
// applied once to the subtotal and rounded half-up (src/billing-math/totals.ts: no compounding).
const toMilli = (q: string) => BigInt(Math.round(Number(q.replace(',', '.')) * 1000));
const toCents = (p: string) => BigInt(Math.round(Number(p.replace(',', '.')) * 100));
const divHalfUp = (n: bigint, d: bigint) => (n * 2n + d) / (2n * d);
const lineCents = (l: LineInput) => divHalfUp(toMilli(l.quantity) * toCents(l.price), 1000n);
const subtotal = [...EXCAVATION, ...PAVAGE].reduce((s, l) => s + lineCents(l), 0n);
const gst = divHalfUp(subtotal * 5_000n, 100_000n);
const qst = divHalfUp(subtotal * 9_975n, 100_000n);
const total = subtotal + gst + qst;
const money = (cents: bigint) => normalizeSpaces(new Intl.NumberFormat('fr-CA', { style: 'currency', currency: 'CAD' }).format(Number(cents) / 100));
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A link of the main navigation, by its name. */
function nav(page: Page, name: string): Promise<void> {
  return page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
}

async function fillField(scope: Page | Locator, label: string, value: string): Promise<void> {
  await scope.getByLabel(label, { exact: true }).fill(value);
}

/** The technician's part, on a phone: start, add lines, take a photo, complete. */
async function workOnPhone(server: Chantier, email: string, title: string, lines: LineInput[], photo: string, shots: string | null): Promise<void> {
  const { context, page } = await openPage(browser, server.url, { viewport: PHONE });
  try {
    await logIn(page, email);
    await page.waitForURL('**/tech');
    for (const tab of ["Aujourd'hui", 'À venir']) {
      await page.getByRole('tab', { name: new RegExp(tab) }).click();
      if (await page.getByRole('link', { name: new RegExp(title) }).count()) break;
    }
    if (shots) await checkScreen(page, `${shots}-tech-list`);
    await page.getByRole('link', { name: new RegExp(title) }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByRole('button', { name: 'Démarrer' }).click();
    await page.getByRole('button', { name: 'Terminer' }).waitFor();
    const linesRegion = page.getByRole('region', { name: 'Lignes' });
    for (const l of lines) {
      await page.getByRole('button', { name: 'Ajouter une ligne' }).click();
      await fillField(page, 'Description', l.description);
      await fillField(page, 'Quantité', l.quantity);
      await fillField(page, 'Prix unitaire', l.price);
      await page.getByRole('button', { name: 'Ajouter la ligne' }).click();
      await linesRegion.getByText(l.description).waitFor();
    }
    // A real PNG, chosen through the camera input.
    await page.getByLabel('Prendre une photo').setInputFiles({ name: photo, mimeType: 'image/png', buffer: makePng(320, 240, [180, 110, 40]) });
    await page
      .getByRole('region', { name: 'Photos et fichiers' })
      .getByRole('link', { name: `Ouvrir ${photo}` })
      .waitFor();
    await page.getByLabel('Ajouter une note', { exact: true }).fill(`${title} : terminé, chantier propre.`);
    await page.getByRole('button', { name: 'Ajouter la note' }).click();
    await page.getByRole('region', { name: 'Notes' }).getByText(`${title} : terminé, chantier propre.`).waitFor();
    if (shots) await checkScreen(page, `${shots}-tech-task`);
    await assertPhoneFriendly(page, 'the task page on the phone');
    await page.getByRole('button', { name: 'Terminer' }).click();
    await page.getByText('Terminée', { exact: true }).waitFor();
    // Finished: no big button to start it again from the phone.
    assert.equal(await page.getByRole('button', { name: 'Démarrer' }).count(), 0);
    if (shots) {
      await page.setViewportSize(DESKTOP);
      await checkScreen(page, `${shots}-tech-task`);
    }
  } finally {
    await context.close();
  }
}

describeEachStore('Martin’s project, billed once', (store) => {
  let server: Chantier;
  before(async () => {
    server = await startChantier(store);
  });
  after(async () => {
    await server?.close();
  });

  it('consolidates two technicians’ sub-tasks into the main task, photos named by sub-task, GST and QST right', async () => {
    const stamp = Math.random().toString(36).slice(2, 8);
    const adminEmail = `martin-${stamp}@example.com`;

    // The admin signs up in the app and turns on "Consolider par projet".
    const desk = await openPage(browser, server.url, { viewport: DESKTOP });
    const page = desk.page;
    await page.goto('/signup');
    await checkScreenAtBothSizes(page, `${store}-signup`);
    await fillField(page, "Nom de l'organisation", 'Excavation Martin inc.');
    await fillField(page, 'Votre nom', 'Martin Lavoie');
    await fillField(page, 'Courriel', adminEmail);
    await fillField(page, 'Mot de passe', 'correct horse battery');
    await page.getByRole('button', { name: 'Créer une organisation' }).click();
    await page.waitForURL('**/tasks');
    await nav(page, 'Paramètres');
    const consolidate = page.getByRole('switch', { name: 'Consolider par projet' }).or(page.getByRole('checkbox', { name: 'Consolider par projet' }));
    await consolidate.check();
    await page.waitForTimeout(300);
    const admin = await tokenFor(server.url, adminEmail);
    await assertRuleEnabled(admin.call, 'consolidate_by_project');
    await checkScreenAtBothSizes(page, `${store}-settings`);

    // People: a dispatcher and two technicians (added through the API: the admin screens are part 2).
    const nadia = `nadia-${stamp}@example.com`;
    const kevin = `kevin-${stamp}@example.com`;
    const marc = `marc-${stamp}@example.com`;
    await addUser(admin, 'dispatcher', 'Nadia Côté', nadia);
    await addUser(admin, 'technician', 'Kevin Ouellet', kevin);
    await addUser(admin, 'technician', 'Marc-André Pelletier', marc);
    await page
      .getByRole('button', { name: 'Déconnexion' })
      .or(page.getByRole('link', { name: 'Déconnexion' }))
      .click();
    await page.waitForURL('**/login');
    await checkScreenAtBothSizes(page, `${store}-login`);

    // The dispatcher: a Quebec client, the main task, two sub-tasks.
    await logIn(page, nadia);
    await page.waitForURL('**/tasks');
    await nav(page, 'Clients');
    await page
      .getByRole('button', { name: 'Nouveau client' })
      .or(page.getByRole('link', { name: 'Nouveau client' }))
      .click();
    await fillField(page, 'Nom', 'Ville de Lévis');
    await page.getByLabel('Région fiscale', { exact: true }).selectOption('QC');
    await page.getByLabel('Langue', { exact: true }).selectOption('fr');
    await fillField(page, 'Courriels de facturation', 'comptes@levis.example');
    await page.getByRole('button', { name: /^(Créer|Enregistrer)$/ }).click();
    await page.getByText('Ville de Lévis').first().waitFor();
    await checkScreenAtBothSizes(page, `${store}-client`);

    await nav(page, 'Tâches');
    await page
      .getByRole('button', { name: 'Nouvelle tâche' })
      .or(page.getByRole('link', { name: 'Nouvelle tâche' }))
      .click();
    const newTask = page.getByRole('main');
    await fillField(newTask, 'Titre', 'Stationnement de l’aréna');
    await newTask.getByLabel('Client', { exact: true }).selectOption({ label: 'Ville de Lévis' });
    await newTask.getByRole('button', { name: 'Créer' }).click();
    await page.getByRole('heading', { level: 1, name: /Stationnement de l’aréna/ }).waitFor();
    const mainUrl = page.url();
    for (const [title, tech] of [
      ['Excavation', 'Kevin Ouellet'],
      ['Pavage', 'Marc-André Pelletier'],
    ]) {
      await page
        .getByRole('button', { name: 'Nouvelle sous-tâche' })
        .or(page.getByRole('link', { name: 'Nouvelle sous-tâche' }))
        .click();
      const newSub = page.getByRole('main');
      await fillField(newSub, 'Titre', title);
      await newSub.getByRole('group', { name: 'Techniciens' }).getByLabel(tech).check();
      await newSub.getByRole('button', { name: 'Créer' }).click();
      await page.getByRole('heading', { level: 1, name: new RegExp(title) }).waitFor();
      await page.goto(mainUrl);
      await page.getByRole('region', { name: 'Sous-tâches' }).getByText(title).waitFor();
    }
    await checkScreenAtBothSizes(page, `${store}-task-before`);
    await nav(page, 'Tâches');
    await page.getByText('Stationnement de l’aréna').first().waitFor();
    await checkScreenAtBothSizes(page, `${store}-tasks`);

    // Each technician on a phone.
    await workOnPhone(server, kevin, 'Excavation', EXCAVATION, 'excavation.png', store);
    await workOnPhone(server, marc, 'Pavage', PAVAGE, 'pavage.png', null);

    // The dispatcher sees both groups, the photos named by sub-task number, the totals.
    const tasks = await admin.call('GET', '/api/v1/tasks?limit=50');
    const numberOf = (title: string) => (tasks.items as { title: string; displayNumber: string }[]).find((t) => t.title === title)!.displayNumber;
    const [excavation, pavage] = [numberOf('Excavation'), numberOf('Pavage')];
    await page.goto(mainUrl);
    const consolidated = page.getByRole('region', { name: 'Contenu consolidé' });
    await consolidated.getByRole('heading', { name: new RegExp(`^${excavation} — Excavation`) }).waitFor();
    await consolidated.getByRole('heading', { name: new RegExp(`^${pavage} — Pavage`) }).waitFor();
    for (const l of [...EXCAVATION, ...PAVAGE]) await consolidated.getByText(l.description).first().waitFor();
    // Each group holds its sub-task's photo, named by the sub-task's number.
    const excavationGroup = consolidated.getByRole('region', { name: new RegExp(`^${excavation} — Excavation`) });
    const pavageGroup = consolidated.getByRole('region', { name: new RegExp(`^${pavage} — Pavage`) });
    await excavationGroup.getByText(`${excavation} – excavation.png`).first().waitFor();
    await pavageGroup.getByText(`${pavage} – pavage.png`).first().waitFor();
    assert.equal(await excavationGroup.getByText('pavage.png').count(), 0, 'a photo in the wrong group');
    const text = normalizeSpaces(await consolidated.innerText());
    for (const [label, cents] of [
      ['Sous-total', subtotal],
      ['TPS', gst],
      ['TVQ', qst],
      ['Total', total],
    ] as const) {
      assert.match(text, new RegExp(`${label}[^$]{0,40}?${escapeRegExp(money(cents))}`), `${label} ${money(cents)} in:\n${text}`);
    }
    await checkScreenAtBothSizes(page, `${store}-task-consolidated`);
    await desk.context.close();
  });
});

async function assertRuleEnabled(call: (m: string, p: string) => Promise<any>, key: string): Promise<void> {
  const rules = await call('GET', '/api/v1/automations');
  const rule = (rules.items as { key: string | null; enabled: boolean }[]).find((r) => r.key === key);
  assert.ok(rule?.enabled, `the ${key} rule is enabled`);
}
