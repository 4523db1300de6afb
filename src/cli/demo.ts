import { loadConfig, type Config } from '../config.ts';
import { loadDemo, type DemoResult } from '../demo/index.ts';
import { createDeps } from '../runtime.ts';
import type { Command } from './commands.ts';

export const demoCommand: Command = {
  summary: 'Load a demo organization and print a login and a token',
  help: `chantier demo

Loads the demo organization "Excavation Martin & Fibre Kim" (users, clients, a project with
sub-tasks, a monthly invoice task) into the configured store — the same one "chantier serve"
uses: ./data/chantier.db, or DATABASE_URL — and prints the admin's login and an API token.
Running it again loads nothing more: it prints a fresh token for the same admin.`,
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

/** What the command prints: where the data went, how to log in, a token and a first request. */
export function formatDemoReport(r: DemoResult, config: Pick<Config, 'databaseUrl' | 'publicUrl'>): string {
  const store = /^postgres(ql)?:/.test(config.databaseUrl) ? 'PostgreSQL (DATABASE_URL)' : config.databaseUrl;
  const others = r.users.filter((u) => u.email !== r.login.email);
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
  ];
  if (r.status === 'loaded') {
    lines.push('', 'Tasks:', ...Object.values(r.tasks).map((t) => `  ${t.displayNumber.padEnd(8)} ${t.status.padEnd(12)} ${t.title}`));
  }
  if (r.skipped.length) lines.push('', 'Not loaded (not supported by this server yet):', ...r.skipped.map((s) => `  - ${s}`));
  lines.push(
    '',
    'Try it (with "chantier serve" running):',
    `  curl -H "Authorization: Bearer ${r.token}" "${config.publicUrl}/api/v1/tasks?topLevel=true"`,
  );
  return lines.join('\n');
}
