import type { Task, TaskType } from '../api/types.ts';

type Status = TaskType['workflow']['statuses'][number];

/** The label of a status in the person's language (the key when the type does not know it). */
export function statusLabel(type: TaskType | undefined, key: string, lng: string): string {
  const s = type?.workflow.statuses.find((x) => x.key === key);
  return s ? (lng.startsWith('en') ? s.label.en : s.label.fr) : key;
}

export const typeLabel = (type: TaskType | undefined, lng: string): string => (type ? (lng.startsWith('en') ? type.label.en : type.label.fr) : '');

/** The statuses the workflow allows from the task's current one: the only buttons shown. */
export function allowedTargets(type: TaskType | undefined, task: Pick<Task, 'status'>): Status[] {
  if (!type) return [];
  const to = new Set(type.workflow.transitions.filter((t) => t.from === task.status).map((t) => t.to));
  return type.workflow.statuses.filter((s) => to.has(s.key));
}

/** A task is closed once its status is in the done or cancelled category: its content is frozen. */
export const isClosed = (task: Pick<Task, 'statusCategory'>): boolean => task.statusCategory === 'done' || task.statusCategory === 'cancelled';
