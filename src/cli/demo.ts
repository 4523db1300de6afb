import { join } from 'node:path';
import { loadConfig, type Config } from '../config.ts';
import { DEMO, loadDemo, tellStories, type DemoResult, type DemoScript } from '../demo/index.ts';
import { createDeps } from '../runtime.ts';
import type { Command } from './commands.ts';

export const demoCommand: Command = {
  summary: 'Load a demo organization and print a login and a token',
  help: `chantier demo

Loads the demo organization "Excavation Martin & Fibre Kim" into the configured store — the
same one "chantier serve" uses: ./data/chantier.db, or DATABASE_URL — through the API: users,
clients, the consolidation rules enabled and Kim's month-end rules (close, email, next month's
invoice); Martin's project, whose excavation and paving roll into its main task, and Kim's
fibre work rolling into the client's open monthly invoice. It prints the admin's login, an API
token, and for each story what happened and how to see it — including the command that closes
Kim's month by hand. Running it again loads nothing more: it prints a fresh token.`,
  async run() {
    const config = loadConfig();
    const deps = await createDeps(config);
    try {
      console.log(formatDemoReport(await loadDemo(deps), config));
      return 0;
    } finally {
      await deps.db.close();
    }
  },
};

/** What the command prints: where the data went, how to log in, the rules, and each story with how to see it. */
export function formatDemoReport(r: DemoResult, config: Pick<Config, 'databaseUrl' | 'publicUrl' | 'dataDir' | 'smtpUrl'>, script: DemoScript = DEMO): string {
  const store = /^postgres(ql)?:/.test(config.databaseUrl) ? 'PostgreSQL (DATABASE_URL)' : config.databaseUrl;
  const others = r.users.filter((u) => u.email !== r.login.email);
  const base = `${config.publicUrl.replace(/\/+$/, '')}/api/v1`;
  const lines = [
    r.status === 'loaded'
      ? `Loaded the demo organization "${r.organization.name}" into ${store}.`
      : `The demo organization "${r.organization.name}" is already loaded in ${store}; here is a fresh token.`,
    '',
    `  organization  ${r.organization.id}`,
    `  login         ${r.login.email}`,
    `  password      ${r.login.password ?? '(the one printed when the demo was first loaded)'}`,
    `  API token     ${r.token}`,
    '',
    `Other users${r.login.password ? ' (same password)' : ''}:`,
    ...others.map((u) => `  ${u.email.padEnd(32)} ${u.role.padEnd(11)} ${u.name}`),
    '',
    'Automations, in firing order:',
    ...r.rules.flatMap((x) => [`  ${x.name}`, `      ${x.summary}`, ...(x.scheduled ? [`      run it now, by hand: npx chantier run-schedule ${x.id}`] : [])]),
  ];
  if (r.status === 'loaded') {
    lines.push('', 'Tasks:', ...Object.values(r.tasks).map((t) => `  ${t.displayNumber.padEnd(8)} ${t.status.padEnd(12)} ${t.title}`));
  }
  if (r.skipped.length) lines.push('', 'Not loaded (not supported by this server yet):', ...r.skipped.map((s) => `  - ${s}`));
  lines.push('', 'Try it with "chantier serve" running (npm start), in a shell:', `  BASE=${base}`, `  AUTH="Authorization: Bearer ${r.token}"`);
  if (r.status === 'loaded') {
    const emailDelivery = config.smtpUrl
      ? 'it goes out through SMTP_URL'
      : `with no SMTP_URL, it is written to ${join(config.dataDir, 'outbox')}/<message id>.eml`;
    lines.push(...tellStories(r, script, { base, emailDelivery }));
  } else {
    lines.push('  curl -s "$BASE/tasks?topLevel=true" -H "$AUTH"');
  }
  return lines.join('\n');
}
