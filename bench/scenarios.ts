import type { Options } from 'autocannon';

/** What a scenario may use to set itself up: the running server and an admin's token. */
export interface BenchContext {
  /** A JSON call to the product API as the benchmark's admin; throws unless 2xx. */
  api(method: string, path: string, body?: unknown): Promise<any>;
  token: string;
  typeIds: Record<string, string>;
}

export interface Scenario {
  name: string;
  /** `trivial`: the bare Fastify route (the ceiling); `api`: the product. */
  server: 'trivial' | 'api';
  /** Creates what the requests need and returns the load to send (url and duration are added). */
  prepare(ctx: BenchContext): Promise<Omit<Options, 'url'>>;
}

const json = (token: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });

/** Runs `fn` over `items` with at most `n` calls in flight. */
async function inParallel<T, R>(items: T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: n }, worker));
  return out;
}

/** Tasks the transition scenario cycles through: far more than the connections, so no two requests hit one task at once. */
export const TRANSITION_POOL = 2000;

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
    name: 'POST /tasks/:id/transitions',
    server: 'api',
    async prepare(ctx) {
      // Each task starts in progress and is toggled in_progress → scheduled → in_progress…,
      // which the default work workflow allows; request i goes to task i mod N.
      const ids = await inParallel(Array.from({ length: TRANSITION_POOL }, (_, i) => i), 10, async (i) =>
        (await ctx.api('POST', '/api/v1/tasks', { typeId: ctx.typeIds.work, title: `Transition ${i}`, status: 'in_progress' })).id as string,
      );
      let i = 0;
      return {
        method: 'POST',
        headers: json(ctx.token),
        requests: [
          {
            setupRequest: (req) => {
              const n = i++;
              const to = Math.floor(n / ids.length) % 2 === 0 ? 'scheduled' : 'in_progress';
              return { ...req, path: `/api/v1/tasks/${ids[n % ids.length]}/transitions`, body: JSON.stringify({ to }) };
            },
          },
        ],
      };
    },
  },
];
