import type { Org, TestContext } from './harness.ts';

type Caller = Pick<TestContext, 'call'>;

/** The id of each item whose `key` is named; a missing one fails the test here, by name. */
function idsByKey<K extends string>(items: { id: string; key: string | null }[], keys: Record<K, string>): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const [name, key] of Object.entries(keys) as [K, string][]) {
    const found = items.find((i) => i.key === key);
    if (!found) throw new Error(`the organization has no "${key}"`);
    out[name] = found.id;
  }
  return out;
}

/** The ids of the task types sign-up creates in every organization (one GET /task-types). */
export async function typeIds(ctx: Caller, org: Org) {
  const items = (await ctx.call('GET', '/api/v1/task-types', org.token)).body.items;
  return idsByKey(items, { work: 'work', invoice: 'invoice' });
}

/** The ids of the automation rules sign-up creates, disabled (one GET /automations). */
export async function ruleIds(ctx: Caller, org: Org) {
  const items = (await ctx.call('GET', '/api/v1/automations', org.token)).body.items;
  return idsByKey(items, { byProject: 'consolidate_by_project', progressive: 'progressive_billing' });
}
