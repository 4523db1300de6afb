import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InvoiceView, Line } from '../api/types.ts';
import { mergeGroups } from './invoice-groups.ts';

const line = (id: string) => ({ id }) as Line;
const source = (taskId: string, number: string) => ({ taskId, number, title: number, completedAt: null, assignees: [] });
const page = (groups: InvoiceView['groups']) => ({ groups }) as InvoiceView;

describe('mergeGroups', () => {
  it('joins a sub-task group cut by a page boundary, and keeps own lines apart', () => {
    const pages = [
      page([
        { source: null, subtotalCents: 10, lines: [line('o1')] },
        { source: source('a', 'T-2'), subtotalCents: 300, lines: [line('a1'), line('a2')] },
      ]),
      page([
        { source: source('a', 'T-2'), subtotalCents: 300, lines: [line('a3')] },
        { source: source('b', 'T-3'), subtotalCents: 5, lines: [line('b1')] },
      ]),
    ];
    const { own, consolidated } = mergeGroups(pages);
    assert.deepEqual(
      own.map((l) => l.id),
      ['o1'],
    );
    assert.deepEqual(
      consolidated.map((g) => [g.source?.number, g.lines.map((l) => l.id)]),
      [
        ['T-2', ['a1', 'a2', 'a3']],
        ['T-3', ['b1']],
      ],
    );
    assert.equal(pages[0].groups[1].lines.length, 2, 'the loaded pages are not changed');
  });
});
