import type { TaskRow } from '../tasks/index.ts';

/** Where a piece of content was first entered: its task, number, title, completion, people. */
export interface Origin {
  taskId: string;
  number: string;
  title: string;
  completedAt: string | null;
  assignees: string; // JSON [{id, name}]
}

/** The origin of the source task's own content (content it received keeps its own origin). */
export function originOf(source: TaskRow, prefix: string, assignees: string): Origin {
  return {
    taskId: source.id,
    number: `${prefix}-${source.number}`,
    title: source.title,
    completedAt: source.completed_at,
    assignees,
  };
}
