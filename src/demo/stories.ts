import { formatMoney } from '../mail/index.ts';
import type { DemoResult } from './load-demo.ts';
import type { DemoScript } from './script.ts';

/**
 * The script's stories with their placeholders filled from what was loaded: `{base}`,
 * `{email.delivery}`, `{task.<key>.id|number|title|status|total}`, `{client.<key>.id|name|emails}`,
 * `{type.<key>.id}`, `{rule.<key>.id|name}`, `{user.<key>.name}`. An unknown one throws.
 */
export function tellStories(r: DemoResult, script: DemoScript, where: { base: string; emailDelivery: string }): string[] {
  const language = script.organization.locale.startsWith('fr') ? 'fr' : 'en';
  const values = new Map<string, string>([
    ['base', where.base],
    ['email.delivery', where.emailDelivery],
  ]);
  const put = (prefix: string, fields: Record<string, string>) => {
    for (const [field, v] of Object.entries(fields)) values.set(`${prefix}.${field}`, v);
  };
  for (const [key, t] of Object.entries(r.tasks)) {
    put(`task.${key}`, { id: t.id, number: t.displayNumber, title: t.title, status: t.status, total: formatMoney(t.totalCents, 'CAD', language) });
  }
  for (const c of script.clients) put(`client.${c.key}`, { id: r.clients[c.key] ?? '', name: c.name, emails: c.billingEmails.join(', ') });
  for (const [key, id] of Object.entries(r.taskTypes)) put(`type.${key}`, { id });
  for (const rule of r.rules) put(`rule.${rule.key}`, { id: rule.id, name: rule.name });
  for (const u of [script.admin, ...script.users]) put(`user.${u.key}`, { name: u.name });

  const fill = (text: string) =>
    text.replace(/\{([a-z][a-z0-9_.-]*)\}/g, (_, name: string) => {
      const v = values.get(name);
      if (v === undefined) throw new Error(`the demo's story names an unknown value {${name}}`);
      return v;
    });
  return script.stories.flatMap((s, i) => ['', `${i + 1}. ${s.title}`, ...s.lines.map((l) => `   ${fill(l)}`)]);
}
