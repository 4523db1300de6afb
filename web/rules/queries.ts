import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, mutate } from '../api/client.ts';
import type { Automation, ResponseOf, Task } from '../api/types.ts';

export type Run = ResponseOf<'/api/v1/automation-runs', 'get'>['items'][number];
export type Occurrence = ResponseOf<'/api/v1/automations/{id}/occurrences', 'get'>['items'][number];
export type ManualRun = ResponseOf<'/api/v1/automations/{id}/run', 'post'>;
type Page<T> = { items: T[]; nextCursor: string | null };

/** Rule data the server answers after a save: the rule, and any webhook secret shown this once. */
export type SavedRule = Automation & { secrets?: Record<string, string> };

export const ruleKeys = {
  all: ['automations'] as const,
  one: (id: string) => ['automations', 'one', id] as const,
  runs: (ruleId: string) => ['automations', 'runs', ruleId] as const,
  occurrences: (id: string) => ['automations', 'occurrences', id] as const,
  upcoming: (id: string) => ['automations', 'upcoming', id] as const,
};

export function useRules() {
  return useQuery({ queryKey: ruleKeys.all, queryFn: () => api<{ items: Automation[] }>('/api/v1/automations') });
}

export function useRule(id: string) {
  return useQuery({ queryKey: ruleKeys.one(id), queryFn: () => api<Automation>(`/api/v1/automations/${id}`), enabled: id !== '', refetchInterval: false });
}

/** The run log of one rule (or of all rules), newest first. */
export function useRuns(ruleId: string, limit = 20) {
  return useQuery({
    queryKey: [...ruleKeys.runs(ruleId), limit],
    queryFn: () => api<Page<Run>>('/api/v1/automation-runs', { query: { ruleId: ruleId || undefined, limit } }),
  });
}

export function useOccurrences(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ruleKeys.occurrences(id),
    queryFn: () => api<Page<Occurrence>>(`/api/v1/automations/${id}/occurrences`, { query: { limit: 12 } }),
    enabled,
  });
}

export function useUpcoming(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ruleKeys.upcoming(id),
    queryFn: () => api<{ timeZone: string; items: string[] }>(`/api/v1/automations/${id}/upcoming`, { query: { count: 3 } }),
    enabled,
  });
}

export function useToggleRule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, on }: { id: string; on: boolean }) => mutate<Automation>('POST', `/api/v1/automations/${id}/${on ? 'enable' : 'disable'}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ruleKeys.all }),
  });
}

/** Creates (no id) or edits a rule; the body is the editor's draft as the API takes it. */
export function useSaveRule(id: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      id ? mutate<SavedRule>('PATCH', `/api/v1/automations/${id}`, body) : mutate<SavedRule>('POST', '/api/v1/automations', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ruleKeys.all }),
  });
}

export function useDeleteRule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => mutate<null>('DELETE', `/api/v1/automations/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ruleKeys.all }),
  });
}

/** What `chantier run-schedule` does, from the rule's page. */
export function useRunNow(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { early?: boolean; rerun?: boolean }) => mutate<ManualRun>('POST', `/api/v1/automations/${id}/run`, body),
    onSettled: () => qc.invalidateQueries({ queryKey: ruleKeys.all }),
  });
}

/** The invoice issued for a task, if any (what a month-end run produced). */
export function useIssuedInvoice(taskId: string) {
  return useQuery({
    queryKey: ['invoices', 'by-task', taskId],
    queryFn: async () =>
      (await api<Page<{ id: string; number: string }>>('/api/v1/invoices', { query: { taskId, kind: 'invoice', limit: 1 } })).items[0] ?? null,
  });
}

/** A task's number and title for the run log: read once, not polled (shares the task page's cache key). */
export function useTaskName(id: string) {
  return useQuery({ queryKey: ['tasks', 'one', id], queryFn: () => api<Task>(`/api/v1/tasks/${id}`), staleTime: 60_000, refetchInterval: false, retry: false });
}
