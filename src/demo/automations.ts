import type { Deps } from '../deps.ts';
import type { Credentials, DemoApi } from './api.ts';
import type { DemoRule } from './script.ts';

/** A rule as the demo reports it. */
export interface DemoRuleResult {
  key: string;
  id: string;
  name: string;
  summary: string;
  scheduled: boolean;
}

type Rule = { id: string; key: string | null; name: string; trigger: { type: string }; actions: Record<string, unknown>[] };

/** Enables the built-in rules and creates the others through the API, in the script's order. */
export async function setUpAutomations(api: DemoApi, admin: Credentials, rules: DemoRule[], refs: { type: Map<string, string>; client: Map<string, string> }) {
  const builtIn = (await api.send('list automation rules', admin, 'GET', '/api/v1/automations')).items as Rule[];
  const out: DemoRuleResult[] = [];
  for (const r of rules) {
    let saved: Rule;
    if (r.builtIn) {
      const rule = builtIn.find((x) => x.key === r.builtIn);
      if (!rule) throw new Error(`the demo script names an unknown built-in rule "${r.builtIn}"`);
      if (r.actionChanges) {
        const actions = rule.actions.map((a) => ({ ...a, ...r.actionChanges }));
        await api.send(`change rule ${r.key}`, admin, 'PATCH', `/api/v1/automations/${rule.id}`, { actions });
      }
      saved = await api.send(`enable rule ${r.key}`, admin, 'POST', `/api/v1/automations/${rule.id}/enable`);
    } else {
      saved = await api.send(`create rule ${r.key}`, admin, 'POST', '/api/v1/automations', withIds(r.body, refs));
    }
    out.push({ key: r.key, id: saved.id, name: saved.name, summary: r.summary, scheduled: saved.trigger.type === 'schedule' });
  }
  return out;
}

/** "@type:invoice" and "@client:boreal", anywhere in a rule body, become those ids. */
function withIds(value: unknown, refs: Record<string, Map<string, string>>): unknown {
  if (typeof value === 'string') {
    const m = /^@(\w+):(.+)$/.exec(value);
    if (!m) return value;
    const id = refs[m[1]]?.get(m[2]);
    if (!id) throw new Error(`the demo script names an unknown ${m[1]} "${m[2]}"`);
    return id;
  }
  if (Array.isArray(value)) return value.map((v) => withIds(v, refs));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withIds(v, refs)]));
  return value;
}

/** The demo's rules in an organization where it is already loaded (by built-in key or name). */
export async function findDemoRules(deps: Deps, orgId: string, rules: DemoRule[]): Promise<DemoRuleResult[]> {
  const rows = await deps.db.kysely.selectFrom('automation_rules').select(['id', 'key', 'name', 'trigger_type']).where('org_id', '=', orgId).execute();
  return rules.flatMap((r) => {
    const row = rows.find((x) => (r.builtIn ? x.key === r.builtIn : x.name === r.body?.name));
    return row ? [{ key: r.key, id: row.id, name: row.name, summary: r.summary, scheduled: row.trigger_type === 'schedule' }] : [];
  });
}
