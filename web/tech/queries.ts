// The phone's server state: the desk's hooks (web/tasks/queries.ts, one per resource) plus the
// technician's own list. Writes go through the shared retrying mutation (one Idempotency-Key
// per action) and the "En attente" list.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { taskKeys, useTaskTypes } from '../tasks/queries.ts';
import { isRefusal, sendWithRetry, type Task } from './api.ts';
import { trackWrite } from './pending-writes.ts';

export { useTask, useTaskAttachments, useTaskLines, useTaskNotes } from '../tasks/queries.ts';

const mineKey = (userId: string) => ['tech', 'mine', userId] as const;

/** Every page of the task list for this filter (a technician's list is short; pages of 200). */
async function allTasks(query: Record<string, string>): Promise<Task[]> {
  const out: Task[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: Task[]; nextCursor: string | null } = await api('/api/v1/tasks', { query: { ...query, limit: 200, cursor } });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/**
 * The tasks assigned to this person (assigneeId filter) and the sub-tasks under them. For a
 * technician the server's unfiltered list is exactly that set (it enforces it); for anyone else
 * the sub-tasks are read per assigned task.
 */
export function useMyTasks(userId: string | undefined, role: string | undefined) {
  return useQuery({
    queryKey: mineKey(userId ?? ''),
    enabled: !!userId,
    queryFn: async () => {
      const assigned = await allTasks({ assigneeId: userId! });
      const below = role === 'technician' ? await allTasks({}) : (await Promise.all(assigned.map((t) => allTasks({ parentId: t.id })))).flat();
      const byId = new Map<string, Task>();
      for (const t of [...assigned, ...below]) byId.set(t.id, t);
      return [...byId.values()];
    },
  });
}

/** One task type, from the organization's list (read once a minute). */
export function useTaskType(id: string | undefined) {
  const types = useTaskTypes();
  return types.data?.items.find((t) => t.id === id);
}

/**
 * A write shown in "En attente" until the server confirms it. Afterwards every task query and
 * the technician's list refetch (completing a sub-task changes its parent too).
 */
export function useTrackedWrite() {
  const qc = useQueryClient();
  return async <T>(label: string, method: 'POST' | 'PATCH' | 'DELETE', path: string, body: unknown): Promise<T> => {
    const send = sendWithRetry<T>(method, path, body); // one key, reused by every retry
    try {
      return await trackWrite(label, send, isRefusal);
    } finally {
      void qc.invalidateQueries({ queryKey: taskKeys.all });
      void qc.invalidateQueries({ queryKey: ['tech'] });
    }
  };
}
