// The phone's server state. Reads go through TanStack Query; writes go through the shared
// fetch wrapper's retrying mutation (one Idempotency-Key per action) and the "En attente" list.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { isRefusal, sendWithRetry, type Attachment, type Line, type Note, type Task, type TaskType } from './api.ts';
import { trackWrite } from './pending-writes.ts';

const REFRESH_MS = 5_000;

export const techKeys = {
  mine: (userId: string) => ['tech', 'mine', userId] as const,
  task: (id: string) => ['tasks', id] as const,
  lines: (id: string) => ['tasks', id, 'lines'] as const,
  notes: (id: string) => ['tasks', id, 'notes'] as const,
  attachments: (id: string) => ['tasks', id, 'attachments'] as const,
  taskType: (id: string) => ['task-types', id] as const,
};

/** Every page of a list (a technician's lists are short; the server pages them by 200). */
async function allPages<T>(path: string, query: Record<string, string> = {}): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: T[]; nextCursor: string | null } = await api(path, { query: { ...query, limit: 200, cursor } });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}


/**
 * The tasks assigned to this person (assigneeId filter) and the sub-tasks under them. For a
 * technician the server's unfiltered list is exactly that set (it enforces it); for anyone else
 * the sub-tasks are read per assigned main task.
 */
export function useMyTasks(userId: string | undefined, role: string | undefined) {
  return useQuery({
    queryKey: techKeys.mine(userId ?? ''),
    enabled: !!userId,
    refetchInterval: REFRESH_MS,
    queryFn: async () => {
      const assigned = await allPages<Task>('/api/v1/tasks', { assigneeId: userId! });
      const below =
        role === 'technician'
          ? await allPages<Task>('/api/v1/tasks')
          : (await Promise.all(assigned.filter((t) => !t.parentId).map((t) => allPages<Task>('/api/v1/tasks', { parentId: t.id })))).flat();
      const byId = new Map<string, Task>();
      for (const t of [...assigned, ...below]) byId.set(t.id, t);
      return [...byId.values()];
    },
  });
}

export function useTask(id: string) {
  return useQuery({ queryKey: techKeys.task(id), queryFn: () => api<Task>(`/api/v1/tasks/${id}`), refetchInterval: REFRESH_MS });
}

export function useTaskType(id: string | undefined) {
  return useQuery({ queryKey: techKeys.taskType(id ?? ''), queryFn: () => api<TaskType>(`/api/v1/task-types/${id}`), enabled: !!id, staleTime: 60_000 });
}

export function useTaskLines(id: string) {
  return useQuery({ queryKey: techKeys.lines(id), queryFn: () => allPages<Line>(`/api/v1/tasks/${id}/lines`), refetchInterval: REFRESH_MS });
}

export function useTaskNotes(id: string) {
  return useQuery({ queryKey: techKeys.notes(id), queryFn: () => allPages<Note>(`/api/v1/tasks/${id}/notes`), refetchInterval: REFRESH_MS });
}

export function useTaskAttachments(id: string) {
  return useQuery({ queryKey: techKeys.attachments(id), queryFn: () => allPages<Attachment>(`/api/v1/tasks/${id}/attachments`), refetchInterval: REFRESH_MS });
}

/** A write shown in "En attente" until the server confirms it, then the given queries refetch. */
export function useTrackedWrite() {
  const qc = useQueryClient();
  return async <T,>(label: string, method: 'POST' | 'PATCH' | 'DELETE', path: string, body: unknown, invalidate: readonly unknown[][]): Promise<T> => {
    const send = sendWithRetry<T>(method, path, body); // one key, reused by every retry
    try {
      return await trackWrite(label, send, isRefusal);
    } finally {
      for (const key of invalidate) void qc.invalidateQueries({ queryKey: key });
    }
  };
}
