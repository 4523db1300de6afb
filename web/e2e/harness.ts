// Browser tests: a REAL Chantier server (the app built with the real deps, listening on a
// loopback port) per store, serving dist/web, driven by Debian's chromium through
// playwright-core. One browser per test file; one server per store.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { pino } from 'pino';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Deps } from '../../src/deps.ts';
import { createDeps } from '../../src/runtime.ts';
import { freshDb, type StoreName } from '../../src/testing/harness.ts';

export { describeEachStore, testStores, type StoreName } from '../../src/testing/harness.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The built app the server serves (CHANTIER_WEB_DIR, as for the server; default dist/web). */
export const WEB_DIST = resolve(process.env.CHANTIER_WEB_DIR ?? join(ROOT, 'dist/web'));
/** Not committed (.gitignore): look at them after a run. */
export const SCREENS_DIR = join(ROOT, 'test-results/screens');

export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 360, height: 740 } as const;

/** Fails the file at once, in words, when the app was not built (npm ci builds it via `prepare`). */
export function assertWebBuilt(): void {
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    throw new Error(
      `${WEB_DIST}/index.html is missing: the browser tests need the built app. Run \`npm run build:web\` (npm install / npm ci run it through the "prepare" script).`,
    );
  }
}

export interface Chantier {
  /** http://127.0.0.1:PORT */
  url: string;
  store: StoreName;
  deps: Deps;
  app: FastifyInstance;
  close(): Promise<void>;
}

/**
 * Starts Chantier as `chantier serve` does, on a fresh store: SQLite in a temporary data dir,
 * or a fresh PostgreSQL schema (TEST_DATABASE_URL), listening on 127.0.0.1 on a free port.
 */
export async function startChantier(store: StoreName): Promise<Chantier> {
  assertWebBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'chantier-e2e-'));
  const base = loadConfig({ CHANTIER_DATA_DIR: dataDir, CHANTIER_WEB_DIR: WEB_DIST, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
  const log = pino({ level: process.env.E2E_LOG ?? 'silent' });
  let deps: Deps;
  let drop = async () => {};
  if (store === 'sqlite') {
    deps = await createDeps(base, { log });
  } else {
    const fresh = await freshDb('postgres');
    const config: Config = { ...base, databaseUrl: process.env.TEST_DATABASE_URL! };
    deps = await createDeps(config, { db: fresh.db, log, migrate: false });
    drop = fresh.drop;
  }
  const app = await buildApp(deps);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  // The session cookie's flags and links in emails follow the public URL.
  deps.config.publicUrl = address;
  return {
    url: address,
    store,
    deps,
    app,
    async close() {
      await app.close();
      if (store === 'sqlite') await deps.db.close();
      else await drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Debian's chromium, never a downloaded browser. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--disable-dev-shm-usage'] });
}

export interface PageOptions {
  viewport?: { width: number; height: number };
  locale?: string;
  /** Cookies and local storage to start from (a session saved by `context.storageState()`). */
  storageState?: Awaited<ReturnType<BrowserContext['storageState']>>;
}

/** A fresh browser context (its own cookies: one person) and its page. */
export async function openPage(browser: Browser, baseURL: string, opts: PageOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const phone = opts.viewport?.width === PHONE.width;
  const context = await browser.newContext({
    baseURL,
    viewport: opts.viewport ?? DESKTOP,
    locale: opts.locale ?? 'fr-CA',
    timezoneId: 'America/Toronto',
    hasTouch: phone,
    isMobile: phone,
    storageState: opts.storageState,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  return { context, page };
}

/** Writes test-results/screens/<name>-<desktop|phone>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  const size = (page.viewportSize()?.width ?? 0) <= PHONE.width ? 'phone' : 'desktop';
  const path = join(SCREENS_DIR, `${name}-${size}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

const AXE_SOURCE = join(ROOT, 'node_modules/axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** Runs axe-core in the page and returns the serious and critical violations. */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.addScriptTag({ content: readFileSync(AXE_SOURCE, 'utf8') });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Fails with each serious/critical axe violation in words. */
export async function assertAccessible(page: Page, screen: string): Promise<void> {
  const found = await seriousA11yViolations(page);
  if (found.length === 0) return;
  const lines = found.map((v) => `- ${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  throw new Error(`axe found ${found.length} serious or critical violation(s) on ${screen}:\n${lines.join('\n')}`);
}

/** Screenshot at the page's size, then axe: one call per main screen. */
export async function checkScreen(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  await assertAccessible(page, name);
}

/**
 * The phone screens' promises: nothing wider than the screen, and every control a thumb can
 * hit (buttons, links, fields, tabs) at least 44 px high and wide.
 */
export async function assertPhoneFriendly(page: Page, screen: string): Promise<void> {
  const problems = await page.evaluate(() => {
    const out: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth) out.push(`the page is ${doc.scrollWidth} px wide on a ${window.innerWidth} px screen`);
    for (const el of document.querySelectorAll<HTMLElement>('button, a[href], input, select, textarea, [role="tab"], label:has(input[type="file"])')) {
      const r = el.getBoundingClientRect();
      const hidden = r.width <= 1 || r.height <= 1 || r.right <= 0 || getComputedStyle(el).visibility === 'hidden';
      if (hidden) continue;
      if (r.height < 44 || r.width < 44)
        out.push(
          `${el.tagName.toLowerCase()} "${(el.innerText || el.getAttribute('aria-label') || el.id).trim().slice(0, 30)}" is ${Math.round(r.width)}×${Math.round(r.height)} px`,
        );
    }
    return out;
  });
  if (problems.length) throw new Error(`${screen} is not made for one hand on a phone:\n- ${problems.join('\n- ')}`);
}

/** checkScreen at desktop then at phone size, leaving the page at the size it had. */
export async function checkScreenAtBothSizes(page: Page, name: string): Promise<void> {
  const before = page.viewportSize() ?? DESKTOP;
  for (const size of [DESKTOP, PHONE]) {
    await page.setViewportSize(size);
    await checkScreen(page, name);
  }
  await page.setViewportSize(before);
}
