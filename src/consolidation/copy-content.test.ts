import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Kysely, KyselyPlugin, QueryId } from 'kysely';
import type { Database } from '../db/index.ts';
import { takeLinePositions, takeLinePositionsAutonomously } from '../task-content/line-store.ts';
import { tinyPng, upload } from '../task-content/testkit.ts';
import { describeEachStore, testContext, type TestContext } from '../testing/harness.ts';
import { complete, enable, line, note, task, world, type World } from './testkit.ts';

/**
 * copyContent on PostgreSQL takes the lines' positions in a statement committed on its own (the
 * counter row is not held until the completion commits), then copies every kind of content in
 * one statement; when the main task has no line counter yet, the statements of one kind
 * (SQLite's) do it, in the completion's transaction. Both paths must leave the same rows.
 */
describeEachStore('copying a sub-task’s content into its main task', (store) => {
  let ctx: TestContext;
  let w: World;
  let base: Kysely<Database>;
  const seen: string[] = [];
  before(async () => {
    ctx = await testContext(store);
    w = await world(ctx);
    await enable(w, w.rules.byProject);
    // Every statement the app runs from now on is recorded (as in transition/answer.test.ts),
    // when its result comes: a query built into another (a CTE) is transformed too, not run.
    base = ctx.deps.db.kysely;
    const built = new WeakMap<QueryId, string>();
    const recorder: KyselyPlugin = {
      transformQuery({ node, queryId }) {
        built.set(queryId, base.getExecutor().compileQuery(node, queryId).sql);
        return node;
      },
      async transformResult({ result, queryId }) {
        seen.push(built.get(queryId)!);
        return result;
      },
    };
    ctx.deps.db.kysely = base.withPlugin(recorder);
    // PostgreSQL's second pool, for the positions taken on their own: recorded too, marked.
    const autonomous = ctx.deps.db.autonomous;
    if (autonomous) {
      ctx.deps.db.autonomous = autonomous.withPlugin({
        transformQuery({ node, queryId }) {
          built.set(queryId, `[autonomous] ${autonomous.getExecutor().compileQuery(node, queryId).sql}`);
          return node;
        },
        transformResult: recorder.transformResult,
      });
    }
  });
  after(() => ctx.close());

  /** The statements that write content or take line positions. */
  const contentWrites = () => seen.filter((s) => /(insert into|update) "(task_lines|attachments|notes|task_counters)"/i.test(s));
  const inOne = (s: string) => /^with (con|att|nts|lns) as \(/i.test(s);
  const autonomousBump = (s: string) => /^\[autonomous\] update "task_counters"/i.test(s);

  /** Completes `taskId`; returns the statements that wrote content. */
  async function completeRecorded(taskId: string) {
    seen.length = 0;
    await complete(w, taskId);
    return contentWrites();
  }

  const up = async (taskId: string, name: string) => {
    const r = await upload(ctx, w.org.token, taskId, name, tinyPng());
    assert.equal(r.status, 201, JSON.stringify(r.body));
  };

  /**
   * A main task with one line of its own (so it has a line counter), a sub-task with lines, notes
   * and files, and, when `received`, a sub-sub-task of its own consolidated into it first (its
   * lines then go grouped by origin). Returns the tasks and what names them, for `normalized`.
   */
  async function project(received: boolean) {
    const main = await task(w, { title: 'Projet', assigneeIds: [w.org.userId] });
    await line(w, main.id, 'Propre', '1', 100);
    const sub = await task(w, { title: 'Versant', parentId: main.id, assigneeIds: [w.org.userId] });
    await line(w, sub.id, 'Versant 1', '2.5', 4000);
    await note(w, sub.id, 'Note du versant');
    await up(sub.id, 'versant.png');
    const tasks = [main, sub];
    if (received) {
      const leaf = await task(w, { title: 'Arrachage', parentId: sub.id });
      await line(w, leaf.id, 'Arrachage 1', '1', 1000);
      await line(w, leaf.id, 'Arrachage 2', '3', 250, 'exempt');
      await note(w, leaf.id, 'Note de l’arrachage');
      await up(leaf.id, 'arrachage.png');
      await complete(w, leaf.id);
      tasks.push(leaf);
    }
    // Own content after the received one: still copied first.
    await line(w, sub.id, 'Versant 2', '1', 99);
    await note(w, sub.id, 'Deuxième note');
    await up(sub.id, 'versant-2.png');
    return { main, sub, tasks };
  }

  /**
   * The main task's lines, attachments and notes, each row with every id, number and date of the
   * project replaced by what it is (the same in twin projects), and its own id and times left out.
   */
  async function normalized(p: Awaited<ReturnType<typeof project>>) {
    const ids = p.tasks.map((t) => t.id as string);
    const names = new Map<string, string>();
    const tables = ['task_lines', 'attachments', 'notes'] as const;
    for (const [i, t] of p.tasks.entries()) {
      const row = await base.selectFrom('tasks').select(['completed_at']).where('id', '=', t.id).executeTakeFirstOrThrow();
      names.set(t.id, `task ${i}`).set(t.displayNumber, `number ${i}`);
      if (row.completed_at) names.set(row.completed_at, `completed ${i}`);
    }
    // Every row of the project before the main task's copies: the sources, and what they received.
    for (const table of tables) {
      const rows = await base.selectFrom(table).select(['id', 'task_id']).where('task_id', 'in', ids).orderBy('task_id').orderBy('id').execute();
      for (const [i, r] of rows.entries()) if (!names.has(r.id)) names.set(r.id, `${table} ${ids.indexOf(r.task_id)}.${i}`);
    }
    for (const c of await base.selectFrom('consolidations').select(['id', 'source_task_id']).where('source_task_id', 'in', ids).execute())
      names.set(c.id, `consolidation of task ${ids.indexOf(c.source_task_id)}`);
    const numbers = [...names.keys()].filter((k) => names.get(k)!.startsWith('number')).sort((a, b) => b.length - a.length);
    const name = (v: unknown) => {
      if (typeof v !== 'string') return v;
      if (names.has(v)) return names.get(v);
      return numbers.reduce((s, n) => s.replaceAll(n, names.get(n)!), v);
    };
    const out: Record<string, unknown[]> = {};
    for (const table of tables) {
      let q = base.selectFrom(table).selectAll().where('task_id', '=', p.main.id);
      q = table === 'task_lines' ? q.orderBy('position').orderBy('id') : q.orderBy('id');
      out[table] = (await q.execute()).map(({ id, created_at, updated_at, ...rest }: Record<string, unknown>) => {
        assert.ok(typeof id === 'string' && !ids.includes(id));
        return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, name(v)]));
      });
    }
    return out;
  }

  for (const received of [false, true]) {
    it(`copies in one statement on PostgreSQL what the statements of one kind copy (lines ${received ? 'grouped by origin' : 'of its own'})`, async () => {
      const one = await project(received);
      const writes = await completeRecorded(one.sub.id);
      if (store === 'postgres') {
        // The positions, committed on their own; then the copies, in one statement.
        assert.equal(writes.length, 2, writes.join('\n'));
        assert.ok(autonomousBump(writes[0]), writes[0]);
        assert.ok(inOne(writes[1]), writes[1]);
        // Short enough to be a named, prepared statement (db/pg-prepared.ts: MAX_TEXT).
        assert.ok(writes[1].length <= 4096, `${writes[1].length} characters`);
      } else {
        assert.equal(writes.length, 4, writes.join('\n'));
      }

      // The twin, whose main task lost its counter row: the statements of one kind copy (and the
      // counter is made again from the lines, at the same position).
      const two = await project(received);
      await base.deleteFrom('task_counters').where('task_id', '=', two.main.id).execute();
      const fallback = await completeRecorded(two.sub.id);
      assert.equal(fallback.filter(inOne).length, 0);
      assert.ok(fallback.some((s) => /^insert into "task_lines"/i.test(s)));

      const [a, b] = [await normalized(one), await normalized(two)];
      assert.deepEqual(a, b);
      // What both copied: the main task's own line, then the sub-task's, its own first.
      assert.deepEqual(
        a.task_lines.map((l: any) => [l.position, l.description, l.source_id !== null]),
        [
          [1, 'Propre', false],
          [2, 'Versant 1', true],
          [3, 'Versant 2', true],
          ...(received
            ? [
                [4, 'Arrachage 1', true],
                [5, 'Arrachage 2', true],
              ]
            : []),
        ],
      );
      assert.deepEqual(
        // In the sub-task's id order: the copy it received came between its own two files.
        a.attachments.map((x: any) => [x.display_name, x.origin_task_id, x.consolidation_id]),
        [
          ['number 1 – versant.png', 'task 1', 'consolidation of task 1'],
          ...(received ? [['number 2 – arrachage.png', 'task 2', 'consolidation of task 1']] : []),
          ['number 1 – versant-2.png', 'task 1', 'consolidation of task 1'],
        ],
      );
      assert.equal(a.notes.length, received ? 3 : 2);
      assert.ok(a.notes.every((n: any) => n.consolidation_id === 'consolidation of task 1' && n.origin_completed_at !== null));
      for (const main of [one.main.id, two.main.id]) {
        const counter = await base.selectFrom('task_counters').select('next_line_position').where('task_id', '=', main).executeTakeFirstOrThrow();
        assert.equal(counter.next_line_position, received ? 6 : 4);
      }
    });
  }

  it('takes the positions in its transaction when the main task has no counter row (made by hand), then on their own, copying in one statement', async () => {
    const main = await task(w, { title: 'Sans ligne' });
    const first = await task(w, { title: 'Première', parentId: main.id });
    for (const d of ['P 1', 'P 2', 'P 3']) await line(w, first.id, d, '1', 100);
    await note(w, first.id, 'Note');
    await up(first.id, 'premiere.png');
    // Every task is made with its row (line-store.ts insertLineCounters): a row written by hand may still lack it.
    await base.deleteFrom('task_counters').where('task_id', '=', main.id).execute();

    const writes = await completeRecorded(first.id);
    if (store === 'postgres') {
      // No counter row to take positions from on their own: each kind is copied, and the row made, in the transaction.
      assert.ok(autonomousBump(writes[0]), writes[0]);
      assert.deepEqual(
        writes.slice(1).map((s) => s.match(/^(insert into|update) "\w+"/i)![0]),
        ['insert into "attachments"', 'insert into "notes"', 'update "task_counters"', 'insert into "task_counters"', 'insert into "task_lines"'],
      );
    }
    const second = await task(w, { title: 'Deuxième', parentId: main.id });
    for (const d of ['D 1', 'D 2']) await line(w, second.id, d, '1', 100);
    await note(w, second.id, 'Note 2');
    const next = await completeRecorded(second.id);
    if (store === 'postgres') assert.deepEqual([autonomousBump(next[0]), inOne(next[1]), next.length], [true, true, 2], next.join('\n'));

    const lines = await base
      .selectFrom('task_lines')
      .select(['position', 'description', 'source_id'])
      .where('task_id', '=', main.id)
      .orderBy('position')
      .execute();
    assert.deepEqual(
      lines.map((l) => [l.position, l.description]),
      [
        [1, 'P 1'],
        [2, 'P 2'],
        [3, 'P 3'],
        [4, 'D 1'],
        [5, 'D 2'],
      ],
    );
    assert.ok(lines.every((l) => l.source_id !== null));
    const counter = await base.selectFrom('task_counters').select('next_line_position').where('task_id', '=', main.id).executeTakeFirstOrThrow();
    assert.equal(counter.next_line_position, 6);
    const copies = async (table: 'attachments' | 'notes') =>
      (await base.selectFrom(table).select('source_id').where('task_id', '=', main.id).execute()).filter((r) => r.source_id !== null).length;
    assert.deepEqual([await copies('attachments'), await copies('notes')], [1, 2]);
  });

  it('lets completions under one main task commit while another is still open: no row lock held to the commit (PostgreSQL)', {
    skip: store !== 'postgres',
  }, async () => {
    const main = await task(w, { title: 'Côte à côte' });
    await line(w, main.id, 'Propre', '1', 100); // the counter row exists
    const [held, passing] = [await task(w, { title: 'Retenue', parentId: main.id }), await task(w, { title: 'Passante', parentId: main.id })];
    for (const t of [held, passing]) for (const d of ['1', '2']) await line(w, t.id, `${t.title} ${d}`, '1', 100);

    // The first completion stops at the end of its transaction, its content copied, until released.
    let reached!: () => void;
    let release!: () => void;
    const atEnd = new Promise<void>((r) => (reached = r));
    const released = new Promise<void>((r) => (release = r));
    const hook = async (_trx: unknown, event: { task: { id: string }; to: string }) => {
      if (event.task.id === held.id && event.to === 'completed') {
        reached();
        await released;
      }
    };
    ctx.deps.transitionHooks.push(hook);
    try {
      const first = complete(w, held.id);
      await atEnd;
      // The second takes its own positions, copies and commits meanwhile: it waits for no lock the first holds.
      const second = await Promise.race([complete(w, passing.id).then(() => 'committed'), new Promise((r) => setTimeout(() => r('still waiting'), 3000))]);
      assert.equal(second, 'committed');
      release();
      await first;
    } finally {
      release();
      ctx.deps.transitionHooks.splice(ctx.deps.transitionHooks.indexOf(hook), 1);
    }
    const lines = await base.selectFrom('task_lines').select(['position', 'description']).where('task_id', '=', main.id).orderBy('position').execute();
    assert.deepEqual(
      lines.map((l) => [l.position, l.description]),
      [
        [1, 'Propre'],
        [2, 'Retenue 1'],
        [3, 'Retenue 2'],
        [4, 'Passante 1'],
        [5, 'Passante 2'],
      ],
    );
  });

  it('leaves the positions to the transaction when the counter row stays locked, its own or another still open (PostgreSQL)', {
    skip: store !== 'postgres',
  }, async () => {
    const main = await task(w, { title: 'Verrouillée' });
    await line(w, main.id, 'Propre', '1', 100); // counter at 2
    await base.transaction().execute(async (trx) => {
      // This transaction takes a position, so holds the row until it commits…
      assert.equal(await takeLinePositions(trx, w.org.orgId, main.id, 1), 2);
      // …and one taken on its own gives up after the lock timeout instead of waiting forever on it.
      assert.equal(await takeLinePositionsAutonomously(ctx.deps.db, w.org.orgId, main.id, 3), undefined);
      assert.equal(await takeLinePositions(trx, w.org.orgId, main.id, 3), 3);
    });
    assert.equal(await takeLinePositionsAutonomously(ctx.deps.db, w.org.orgId, main.id, 2), 6, 'free again: taken on its own');
    const counter = await base.selectFrom('task_counters').select('next_line_position').where('task_id', '=', main.id).executeTakeFirstOrThrow();
    assert.equal(counter.next_line_position, 8);
  });

  it('leaves out of the statement each kind the source has none of, and the counter when it has no line', async () => {
    const main = await task(w, { title: 'Parties' });
    const linesOnly = await task(w, { title: 'Lignes', parentId: main.id });
    await line(w, linesOnly.id, 'L 1', '1', 100);
    const noteOnly = await task(w, { title: 'Note', parentId: main.id });
    await note(w, noteOnly.id, 'Seule');

    // No line: the counter is not taken (made with the main task, it still says 1).
    const byNote = await completeRecorded(noteOnly.id);
    assert.equal(byNote.length, 1, byNote.join('\n'));
    assert.ok(!/task_counters|"task_lines"|"attachments"/.test(byNote[0]), byNote[0]);
    const counter = await base.selectFrom('task_counters').select('next_line_position').where('task_id', '=', main.id).executeTakeFirstOrThrow();
    assert.equal(counter.next_line_position, 1);

    await line(w, main.id, 'Propre', '1', 100);
    const byLines = await completeRecorded(linesOnly.id);
    // The counter, the lines (PostgreSQL: the counter on its own, then one statement without notes or attachments).
    assert.equal(byLines.length, 2, byLines.join('\n'));
    if (store === 'postgres') {
      assert.ok(autonomousBump(byLines[0]), byLines[0]);
      assert.ok(inOne(byLines[1]) && !/"(notes|attachments)"/.test(byLines[1]), byLines[1]);
    }
    const lines = await base.selectFrom('task_lines').select(['position', 'description']).where('task_id', '=', main.id).orderBy('position').execute();
    assert.deepEqual(
      lines.map((l) => [l.position, l.description]),
      [
        [1, 'Propre'],
        [2, 'L 1'],
      ],
    );
    const notes = await base.selectFrom('notes').select(['body', 'origin_task_id']).where('task_id', '=', main.id).execute();
    assert.deepEqual(notes, [{ body: 'Seule', origin_task_id: noteOnly.id }]);
  });
});
