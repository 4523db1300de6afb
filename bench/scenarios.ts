import type { Options } from 'autocannon';
import { knobs } from './knobs.ts';
import { inParallel } from './util.ts';

/** What a scenario may use to set itself up: the running server and an admin's token. */
export interface BenchContext {
  /** The product server's address (http://127.0.0.1:PORT), for the browser. */
  baseUrl: string;
  /** A JSON call to the product API as the benchmark's admin; throws unless 2xx. */
  api(method: string, path: string, body?: unknown): Promise<any>;
  /** Runs a bench job (bench/jobs/) inside the server process, on its store; throws unless 2xx. */
  job(name: string, args: Record<string, unknown>): Promise<any>;
  token: string;
  orgId: string;
  userId: string;
  typeIds: Record<string, string>;
  /** Default rules by key (consolidate_by_project, progressive_billing). */
  ruleIds: Record<string, string>;
}

export interface Scenario {
  name: string;
  /** `trivial`: the bare Fastify route (the ceiling); `api`: the product. */
  server: 'trivial' | 'api';
  /** Creates what the requests need and returns the load to send (url and duration are added). */
  prepare(ctx: BenchContext): Promise<Omit<Options, 'url'>>;
  /** A fixed number of requests instead of BENCH_WARMUP/BENCH_DURATION seconds (each uses up prepared data). */
  requests?: { warmup: number; measured: number };
  /** After the run: what the store should hold given `answered` 2xx answers (warm-up included); problems fail the bench. */
  check?(ctx: BenchContext, answered: number): Promise<string[]>;
  /** The scenario this one is compared with in the summary (same store, same run). */
  baseline?: string;
}

const json = (token: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });

/** Tasks the transition scenario cycles through: far more than the connections, so no two requests hit one task at once. */
export const TRANSITION_POOL = 2000;

export const PLAIN_TRANSITION = 'POST /tasks/:id/transitions';
export const TRANSITION_REQUESTS = Number(process.env.BENCH_TRANSITIONS ?? 12_000);

/** Lines and attachments of each sub-task completed under "Consolidate by project" (issue 3). */
export const SUBTASK_LINES = 5;
export const SUBTASK_FILES = 2;

/**
 * Completes in-progress sub-tasks (5 lines, 2 attachments each) with "Consolidate by project"
 * enabled: each request completes a distinct sub-task, spread over `mains` main tasks (sub-task
 * i is under main i mod mains, so concurrent requests lock different mains) or all under one.
 */
function completionScenario(name: string, mains: () => number): Scenario {
  const warmup = Math.max(knobs.connections, Math.round(knobs.completions / 10));
  let mainIds: string[] = [];
  return {
    name,
    server: 'api',
    baseline: PLAIN_TRANSITION,
    requests: { warmup, measured: knobs.completions },
    async prepare(ctx) {
      await ctx.api('POST', `/api/v1/automations/${ctx.ruleIds.consolidate_by_project}/enable`);
      // autocannon builds each connection's next request before it knows the run is over: slack.
      const count = warmup + knobs.completions + 4 * knobs.connections;
      const prepared = await ctx.job('prepare-subtasks', {
        orgId: ctx.orgId,
        userId: ctx.userId,
        mains: mains(),
        count,
        lines: SUBTASK_LINES,
        files: SUBTASK_FILES,
      });
      mainIds = prepared.mainIds;
      const ids: string[] = prepared.subIds;
      let i = 0;
      const body = JSON.stringify({ to: 'completed' });
      return {
        method: 'POST',
        headers: json(ctx.token),
        requests: [{ setupRequest: (req) => ({ ...req, path: `/api/v1/tasks/${ids[i++ % ids.length]}/transitions`, body }) }],
      };
    },
    async check(ctx, answered) {
      const got = await ctx.job('consolidated-under', { orgId: ctx.orgId, mainIds });
      const want = { completed: answered, consolidations: answered, lineCopies: answered * SUBTASK_LINES, attachmentCopies: answered * SUBTASK_FILES };
      return Object.entries(want)
        .filter(([k, v]) => got[k] !== v)
        .map(([k, v]) => `${k}: ${got[k]}, expected ${v} for ${answered} completions answered 2xx`);
    },
  };
}

/** The benchmarks, run in this order on each store. Later capabilities add entries here. */
export const scenarios: Scenario[] = [
  {
    name: 'trivial GET {ok:true}',
    server: 'trivial',
    prepare: async () => ({ method: 'GET', path: '/ok' }),
  },
  {
    name: 'POST /tasks (create)',
    server: 'api',
    prepare: async (ctx) => ({
      method: 'POST',
      path: '/api/v1/tasks',
      headers: json(ctx.token),
      body: JSON.stringify({ typeId: ctx.typeIds.work, title: 'Excavation — bench' }),
    }),
  },
  {
    name: PLAIN_TRANSITION,
    server: 'api',
    // A fixed count, not a duration: a timed run ends with requests the server handled but whose
    // answers autocannon dropped, and the next run would toggle those tasks the wrong way.
    requests: { warmup: 2_000, measured: TRANSITION_REQUESTS },
    async prepare(ctx) {
      // Each task starts in progress and is toggled in_progress → scheduled → in_progress…,
      // which the default work workflow allows; request i goes to task i mod N.
      const ids = await inParallel(
        Array.from({ length: TRANSITION_POOL }, (_, i) => i),
        10,
        async (i) => (await ctx.api('POST', '/api/v1/tasks', { typeId: ctx.typeIds.work, title: `Transition ${i}`, status: 'in_progress' })).id as string,
      );
      // Each task's status is the one its last answer shows: a request autocannon set up but
      // never sent (at the end of the warm-up) must not desynchronise the toggling.
      const status = new Map(ids.map((id) => [id, 'in_progress']));
      let i = 0;
      return {
        method: 'POST',
        headers: json(ctx.token),
        requests: [
          {
            setupRequest: (req) => {
              const id = ids[i++ % ids.length];
              const to = status.get(id) === 'in_progress' ? 'scheduled' : 'in_progress';
              return { ...req, path: `/api/v1/tasks/${id}/transitions`, body: JSON.stringify({ to }) };
            },
            onResponse: (code, body) => {
              if (code !== 200) return;
              const task = JSON.parse(body) as { id: string; status: string };
              status.set(task.id, task.status);
            },
          },
        ],
      };
    },
  },
  completionScenario(`complete sub-task + consolidate, ${knobs.mains} mains`, () => knobs.mains),
  completionScenario('complete sub-task + consolidate, 1 main', () => 1),
];
