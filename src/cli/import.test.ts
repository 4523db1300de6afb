import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { sharedStore, testStores, type SharedStore } from '../testing/harness.ts';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '..', 'cli.ts');
const EXAMPLE = join(import.meta.dirname, '..', '..', 'docs', 'examples', 'work-breakdown.csv');

// The real command, in its own process, against the store `chantier serve` would use.
for (const store of testStores()) {
  describe(`chantier import (command line) [${store}]`, () => {
    let world: SharedStore;
    let mainId: string;
    let mainNumber: string;

    before(async () => {
      world = await sharedStore(store, 'import');
      const { call } = world;
      const { token } = await call('POST', '/signup', { orgName: 'Excavation Kim', name: 'Kim', email: 'kim@example.com', password: 'correct horse battery' });
      const types = await call('GET', '/task-types', undefined, token);
      const work = types.items.find((t: { key: string }) => t.key === 'work').id;
      const main = await call('POST', '/tasks', { typeId: work, title: 'Agrandissement' }, token);
      mainId = main.id;
      mainNumber = main.displayNumber;
      await world.closeApp();
    });
    after(() => world.close());

    const linesUnder = async () =>
      (
        await world.deps.db.kysely
          .selectFrom('task_lines')
          .innerJoin('tasks', 'tasks.id', 'task_lines.task_id')
          .select(['task_lines.amount_cents'])
          .where('tasks.parent_id', '=', mainId)
          .execute()
      )
        .map((r) => Number(r.amount_cents))
        .reduce((a, b) => a + b, 0);

    it('imports the example into T-n with one progress line per 10% off a terminal', async () => {
      const r = await run(process.execPath, ['--import', 'tsx', CLI, 'import', EXAMPLE, '--into', mainNumber], { env: world.env });
      assert.match(r.stdout, /imported 2 sub-task\(s\) with 5 line\(s\)/);
      const progress = r.stderr.trim().split('\n');
      assert.ok(progress.length >= 2 && progress.length <= 11, r.stderr);
      assert.match(progress.at(-1)!, /100% \(7\/7\)/);
      assert.equal(await linesUnder(), 116000 + 35000 + 23438 + 302670 + 12000);
    });

    it('names the CSV line of a bad row, exits 1 and imports nothing', async () => {
      const bad = join(world.dir, 'bad.csv');
      writeFileSync(bad, 'subtask,description,quantity,unit_price\nA,Labour,1,10\nA,Labour,1,ten\n');
      const before = await linesUnder();
      const r = await run(process.execPath, ['--import', 'tsx', CLI, 'import', bad, '--into', mainId], { env: world.env }).catch((e) => e);
      assert.equal(r.code, 1, JSON.stringify([r.stdout, r.stderr, r.code, r.signal]));
      assert.match(r.stderr, /line 3, column unit_price/);
      assert.equal(await linesUnder(), before);
    });
  });
}
