// What a person does again and again in the browser tests, by the labels they see.
import type { Page } from 'playwright-core';
import { PASSWORD } from './api.ts';

const LOGIN_LABELS = {
  fr: { email: 'Courriel', password: 'Mot de passe', submit: 'Se connecter' },
  en: { email: 'Email', password: 'Password', submit: 'Log in' },
};

/** Logs in through the login form and waits until the app has left it. */
export async function logIn(page: Page, email: string, lang: 'fr' | 'en' = 'fr', password = PASSWORD): Promise<void> {
  const l = LOGIN_LABELS[lang];
  await page.goto('/login');
  await page.getByLabel(l.email).fill(email);
  await page.getByLabel(l.password, { exact: true }).fill(password);
  await page.getByRole('button', { name: l.submit }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** Normalizes the spaces Intl puts in money ("1 234,56 $" uses narrow no-break spaces). */
export const normalizeSpaces = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
