import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, mutate, upload, type RetryOptions } from '../api/client.ts';
import type {
  AddLine,
  Attachment,
  Client,
  CreateTask,
  HistoryEntry,
  InvoiceView,
  Line,
  Note,
  Task,
  TaskPage,
  TaskQuery,
  TaskType,
  UpdateLine,
  UpdateTask,
  User,
} from '../api/types.ts';

type Page<T> = { items: T[]; nextCursor: string | null };

/** Query keys: every hook and every mutation that invalidates it use the same ones. */
export const taskKeys = {
  all: ['tasks'] as const,
  list: (q: TaskQuery) => ['tasks', 'list', q] as const,
  one: (id: string) => ['tasks', 'one', id] as const,
  sub: (id: string) => ['tasks', 'sub', id] as const,
  lines: (id: string) => ['tasks', 'lines', id] as const,
  invoice: (id: string) => ['tasks', 'invoice', id] as const,
  notes: (id: string) => ['tasks', 'notes', id] as const,
  attachments: (id: string) => ['tasks', 'attachments', id] as const,
  history: (id: string) => ['tasks', 'history', id] as const,
};

export function useTasks(q: TaskQuery, enabled = true) {
  return useQuery({ queryKey: taskKeys.list(q), queryFn: () => api<TaskPage>('/api/v1/tasks', { query: q }), placeholderData: keepPreviousData, enabled });
}

export function useTask(id: string) {
  return useQuery({ queryKey: taskKeys.one(id), queryFn: () => api<Task>(`/api/v1/tasks/${id}`), enabled: id !== '' });
}

/** The direct sub-tasks of a task (a page of 500 covers real projects). */
export function useSubtasks(id: string) {
  return useQuery({ queryKey: taskKeys.sub(id), queryFn: () => api<TaskPage>('/api/v1/tasks', { query: { parentId: id, limit: 500 } }) });
}

export function useTaskTypes() {
  return useQuery({ queryKey: ['task-types'], queryFn: () => api<{ items: TaskType[] }>('/api/v1/task-types'), staleTime: 60_000, refetchInterval: false });
}

export function useUsers() {
  return useQuery({ queryKey: ['users'], queryFn: () => api<{ items: User[] }>('/api/v1/users'), staleTime: 60_000, refetchInterval: 60_000 });
}

export function useClientOptions() {
  return useQuery({ queryKey: ['clients', 'options'], queryFn: () => api<Page<Client>>('/api/v1/clients', { query: { limit: 500 } }), staleTime: 30_000 });
}

/** A task's own lines, page by page (consolidated ones are in useInvoiceView). */
export function useTaskLines(id: string) {
  return useInfiniteQuery({
    queryKey: taskKeys.lines(id),
    queryFn: ({ pageParam }) => api<Page<Line>>(`/api/v1/tasks/${id}/lines`, { query: { limit: 200, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/**
 * The invoice view: own lines, then consolidated lines grouped by sub-task, 200 a page; the first
 * page's totals cover the whole task (the pages after it have none). Refetching every loaded page is cheap only while few are loaded.
 */
export function useInvoiceView(id: string) {
  return useInfiniteQuery({
    queryKey: taskKeys.invoice(id),
    queryFn: ({ pageParam }) => api<InvoiceView>(`/api/v1/tasks/${id}/invoice`, { query: { limit: 200, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (q) => ((q.state.data?.pages.length ?? 0) <= 2 ? 5_000 : false),
  });
}

export function useTaskNotes(id: string) {
  return useQuery({ queryKey: taskKeys.notes(id), queryFn: () => api<Page<Note>>(`/api/v1/tasks/${id}/notes`, { query: { limit: 500 } }) });
}

export function useTaskAttachments(id: string, groupBySource = false) {
  return useQuery({
    queryKey: [...taskKeys.attachments(id), groupBySource],
    queryFn: () => api<Page<Attachment>>(`/api/v1/tasks/${id}/attachments`, { query: { limit: 500, groupBy: groupBySource ? 'source' : undefined } }),
  });
}

export function useTaskHistory(id: string) {
  return useQuery({ queryKey: taskKeys.history(id), queryFn: () => api<Page<HistoryEntry>>(`/api/v1/tasks/${id}/history`, { query: { limit: 500 } }) });
}

/** After any change to a task: the task, its lists, its parent's view. */
function useInvalidateTask() {
  const qc = useQueryClient();
  return (id?: string) => qc.invalidateQueries({ queryKey: id ? ['tasks'] : taskKeys.all });
}

export function useCreateTask() {
  const invalidate = useInvalidateTask();
  return useMutation({ mutationFn: (body: CreateTask) => mutate<Task>('POST', '/api/v1/tasks', body), onSuccess: () => invalidate() });
}

export function useUpdateTask(id: string) {
  const invalidate = useInvalidateTask();
  return useMutation({ mutationFn: (body: UpdateTask) => mutate<Task>('PATCH', `/api/v1/tasks/${id}`, body), onSuccess: () => invalidate(id) });
}

export function useTransition(id: string) {
  const invalidate = useInvalidateTask();
  return useMutation({
    mutationFn: (body: { to: string; version?: number }) => mutate<Task>('POST', `/api/v1/tasks/${id}/transitions`, body),
    // Completing a sub-task may move its content to the parent: refresh every task query.
    onSettled: () => invalidate(id),
  });
}

export function useAddLine(taskId: string) {
  const invalidate = useInvalidateTask();
  return useMutation({
    mutationFn: ({ body, retry }: { body: AddLine; retry?: RetryOptions }) => mutate<Line>('POST', `/api/v1/tasks/${taskId}/lines`, body, retry),
    onSuccess: () => invalidate(taskId),
  });
}

export function useUpdateLine(taskId: string) {
  const invalidate = useInvalidateTask();
  return useMutation({
    mutationFn: ({ lineId, body }: { lineId: string; body: UpdateLine }) => mutate<Line>('PATCH', `/api/v1/tasks/${taskId}/lines/${lineId}`, body),
    onSuccess: () => invalidate(taskId),
  });
}

export function useDeleteLine(taskId: string) {
  const invalidate = useInvalidateTask();
  return useMutation({
    mutationFn: (lineId: string) => mutate<null>('DELETE', `/api/v1/tasks/${taskId}/lines/${lineId}`),
    onSuccess: () => invalidate(taskId),
  });
}

export function useAddNote(taskId: string) {
  const invalidate = useInvalidateTask();
  return useMutation({
    mutationFn: ({ body, retry }: { body: string; retry?: RetryOptions }) => mutate<Note>('POST', `/api/v1/tasks/${taskId}/notes`, { body }, retry),
    onSuccess: () => invalidate(taskId),
  });
}

export function useUploadAttachment(taskId: string) {
  const invalidate = useInvalidateTask();
  return useMutation({
    mutationFn: ({ file, onProgress, retry }: { file: File; onProgress: (f: number) => void; retry?: RetryOptions }) =>
      upload<Attachment>(`/api/v1/tasks/${taskId}/attachments`, file, onProgress, retry),
    onSuccess: () => invalidate(taskId),
  });
}

export function useDeleteAttachment(taskId: string) {
  const invalidate = useInvalidateTask();
  return useMutation({ mutationFn: (id: string) => mutate<null>('DELETE', `/api/v1/attachments/${id}`), onSuccess: () => invalidate(taskId) });
}
