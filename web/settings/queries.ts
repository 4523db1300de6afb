import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, mutate } from '../api/client.ts';
import type { Organization, ResponseOf, TaskType, User } from '../api/types.ts';

export type Token = ResponseOf<'/api/v1/tokens', 'get'>['items'][number];
export type CreatedToken = ResponseOf<'/api/v1/tokens', 'post'>;

/** What GET /organization may say about invoicing readiness (once the server reports it). */
export type Readiness = { ready: boolean; missing: string[]; missingByTax?: Record<'GST' | 'HST' | 'QST', string[]> };

export function useOrganizationSettings() {
  return useQuery({ queryKey: ['organization'], queryFn: () => api<Organization & { invoicing?: Readiness }>('/api/v1/organization'), refetchInterval: false });
}

export function useSaveOrganization() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => mutate<Organization>('PATCH', '/api/v1/organization', body),
    onSuccess: (org) => qc.setQueryData(['organization'], org),
    onSettled: () => qc.invalidateQueries({ queryKey: ['organization'] }),
  });
}

export function useAllUsers() {
  return useQuery({ queryKey: ['users'], queryFn: () => api<{ items: User[] }>('/api/v1/users') });
}

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; email: string; password: string; role: string }) => mutate<User>('POST', '/api/v1/users', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['users'] }),
  });
}

export function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; role?: string; active?: boolean; version: number }) => mutate<User>('PATCH', `/api/v1/users/${id}`, body),
    onSettled: () => qc.invalidateQueries({ queryKey: ['users'] }),
  });
}

export function useTokens() {
  return useQuery({ queryKey: ['tokens'], queryFn: () => api<{ items: Token[] }>('/api/v1/tokens') });
}

export function useCreateToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; expiresInDays?: number }) => mutate<CreatedToken>('POST', '/api/v1/tokens', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['tokens'] }),
  });
}

export function useRevokeToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => mutate<null>('DELETE', `/api/v1/tokens/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['tokens'] }),
  });
}

export function useSaveTaskType() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: Record<string, unknown> }) =>
      id ? mutate<TaskType>('PATCH', `/api/v1/task-types/${id}`, body) : mutate<TaskType>('POST', '/api/v1/task-types', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['task-types'] }),
  });
}

export function useDeleteTaskType() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => mutate<null>('DELETE', `/api/v1/task-types/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['task-types'] }),
  });
}
