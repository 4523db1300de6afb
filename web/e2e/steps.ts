// What a person does again and again in the browser tests, by the labels they see.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PASSWORD } from './api.ts';
import { openPage, type PageOptions } from './harness.ts';

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

const sessions = new Map<string, NonNullable<PageOptions['storageState']>>();

/**
 * A page of this person, signed in: through the login form the first time, then from the saved
 * session (each login costs an argon2 hash and a page load; the tests about logging in log in).
 */
export async function openSignedIn(browser: Browser, baseURL: string, email: string, opts: PageOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const saved = sessions.get(`${baseURL} ${email}`);
  if (saved) {
    const opened = await openPage(browser, baseURL, { ...opts, storageState: saved });
    await opened.page.goto('/');
    await opened.page.waitForURL((u) => u.pathname !== '/');
    return opened;
  }
  const opened = await openPage(browser, baseURL, opts);
  await logIn(opened.page, email);
  sessions.set(`${baseURL} ${email}`, await opened.context.storageState());
  return opened;
}
