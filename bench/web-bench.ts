// The web app's figures: the JS+CSS shipped for the first screen (gzip, from dist/web), and in
// Debian's chromium the time until a main task holding 10,000 consolidated lines shows its first
// rows (100 sub-tasks of 100 lines each, really completed under "Consolidate by project").
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { JobScenario } from './job-scenarios.ts';
import { knobs } from './knobs.ts';
import { num } from './util.ts';
import { firstScreenSize } from './web-size.ts';

export const BENCH_EMAIL = 'bench@example.com';
export const BENCH_PASSWORD = 'bench-password-123';
/** The target for the first screen. */
const FIRST_SCREEN_BUDGET = 200 * 1024;

export const WEB_SIZE_HEAD = ['file', 'bytes', 'gzip bytes'];

/** Rows of the first-screen table (each file, then the totals) and problems. */
export function webFirstScreen(root: string): { rows: string[][]; problems: string[] } {
  const s = firstScreenSize(join(root, 'dist/web'));
  const rows = s.files.map((f) => [f.path, num(f.bytes), num(f.gzipBytes)]);
  rows.push(['JS (gzip)', '', num(s.jsGzip)], ['CSS (gzip)', '', num(s.cssGzip)], ['first screen total (gzip)', '', num(s.totalGzip)]);
  const problems = s.totalGzip > FIRST_SCREEN_BUDGET ? [`first screen is ${num(s.totalGzip)} B gzip, over ${num(FIRST_SCREEN_BUDGET)}`] : [];
  return { rows, problems };
}

export const webLinesScenario: JobScenario = {
  name: 'web: 10,000 consolidated lines',
  head: ['load', 'lines on the main task', 'ms until the first rows show', 'ms until the API answered (first page)'],
  async run(ctx) {
    const subtasks = knobs.webSubtasks;
    const perSubtask = 100;
    await ctx.api('POST', `/api/v1/automations/${ctx.ruleIds.consolidate_by_project}/enable`);
    const { mainId } = await ctx.job('scaling-start', { orgId: ctx.orgId, userId: ctx.userId });
    // Real completions: 100 sub-tasks of 100 lines, each consolidated into the main task.
    await ctx.job('scaling-window', { orgId: ctx.orgId, userId: ctx.userId, mainId, at: 1, window: subtasks, lines: perSubtask });
    const lines = subtasks * perSubtask;
    const firstRow = 'Sous-tâche 1 — ligne 1';
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
    const rows: string[][] = [];
    const problems: string[] = [];
    try {
      const context = await browser.newContext({ baseURL: ctx.baseUrl, viewport: { width: 1280, height: 800 }, locale: 'fr-CA' });
      const page = await context.newPage();
      await page.goto('/login');
      await page.getByLabel('Courriel').fill(BENCH_EMAIL);
      await page.getByLabel('Mot de passe').fill(BENCH_PASSWORD);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      for (const load of ['first visit', 'second visit (cached assets)']) {
        await page.goto(`/tasks/${mainId}`);
        // From the navigation's start (performance.now() = 0) until the first row is in the page,
        // and until the first page of the invoice view had arrived (the browser's resource timing).
        const shown = await page.waitForFunction((text) => (document.body.textContent?.includes(text) ? performance.now() : 0), firstRow, {
          timeout: 60_000,
          polling: 'raf',
        });
        const ms = (await shown.jsonValue()) as number;
        const apiMs = await page.evaluate((id) => {
          const entry = performance.getEntriesByType('resource').find((e) => e.name.includes(`/api/v1/tasks/${id}/invoice`));
          return entry ? (entry as PerformanceResourceTiming).responseEnd : null;
        }, mainId);
        rows.push([load, num(lines), num(ms), apiMs === null ? '—' : num(apiMs)]);
      }
    } catch (err) {
      problems.push(`the browser did not show the first consolidated row: ${(err as Error).message.split('\n')[0]}`);
    } finally {
      await browser.close();
    }
    return { rows, problems };
  },
};
