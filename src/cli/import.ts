import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import type { Deps } from '../deps.ts';
import { createDeps } from '../runtime.ts';
import { AppError } from '../shared/errors.ts';
import { UUID_RE } from '../shared/ids.ts';
import { importIntoTask } from '../tasks/csv-import.ts';
import type { TaskRow } from '../tasks/store.ts';
import type { Command } from './commands.ts';
import { progressBar } from './progress.ts';

export const importCommand: Command = {
  summary: 'Import a CSV work breakdown (sub-tasks and their lines) into a main task',
  help: `chantier import <file.csv> --into <T-12 | task id> [--org <org id>]

One row per invoice line after a header row; ";" or "," separators; UTF-8 (a BOM is fine).
Columns: subtask, description, quantity, unit_price (required); unit, tax, product_code.
Rows with the same subtask title make one sub-task. Everything is written in one transaction:
an error names the CSV line, and nothing is imported. --org may be left out when the database
holds one organization. Progress goes to stderr. Example: docs/examples/work-breakdown.csv`,
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { into: { type: 'string' }, org: { type: 'string' } } });
    const [file] = positionals;
    if (!file || !values.into) throw new Error('a CSV file and --into <task> are required (see --help)');
    const csv = await readFile(file, 'utf8');
    const deps = await createDeps(loadConfig());
    try {
      const orgId = values.org ?? (await onlyOrganization(deps));
      const main = await findMainTask(deps, orgId, values.into);
      const bar = progressBar(`importing into ${values.into}`);
      let result: Awaited<ReturnType<typeof importIntoTask>>;
      try {
        result = await importIntoTask(deps, main, null, csv, (done, total) => bar.update(done, total));
      } catch (err) {
        if (err instanceof AppError) {
          console.error(`chantier import: ${err.message} (${err.code})`);
          return 1;
        }
        throw err;
      } finally {
        bar.done();
      }
      console.log(
        `imported ${result.count} sub-task(s) with ${result.lineCount} line(s) into ${values.into}: ${result.tasks.map((t) => t.displayNumber).join(', ')}`,
      );
      return 0;
    } finally {
      await deps.db.close();
    }
  },
};

async function onlyOrganization(deps: Deps): Promise<string> {
  const orgs = await deps.db.kysely.selectFrom('organizations').select('id').limit(2).execute();
  if (orgs.length !== 1) throw new Error(`the database holds ${orgs.length === 0 ? 'no organization' : 'several organizations'}: say which with --org <id>`);
  return orgs[0].id;
}

/** The task by id, or by display number (T-12: the type's prefix and the task's number). */
async function findMainTask(deps: Deps, orgId: string, ref: string): Promise<TaskRow> {
  const db = deps.db.kysely;
  let q = db
    .selectFrom('tasks')
    .innerJoin('task_types as tt', (j) => j.onRef('tt.id', '=', 'tasks.type_id').onRef('tt.org_id', '=', 'tasks.org_id'))
    .selectAll('tasks')
    .where('tasks.org_id', '=', orgId);
  if (UUID_RE.test(ref)) q = q.where('tasks.id', '=', ref);
  else {
    const m = /^(.+)-(\d+)$/.exec(ref.trim());
    if (!m) throw new Error(`--into ${ref}: give a display number such as T-12, or a task id`);
    q = q.where('tt.prefix', '=', m[1]).where('tasks.number', '=', Number(m[2]));
  }
  const task = await q.executeTakeFirst();
  if (!task) throw new Error(`no task ${ref} in organization ${orgId}`);
  return task;
}
