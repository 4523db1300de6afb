import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, mutate } from '../api/client.ts';
import type { Client, CreateClient, Unbilled, UpdateClient } from '../api/types.ts';

type Page<T> = { items: T[]; nextCursor: string | null };

export const clientKeys = {
  list: (q: string, cursor?: string) => ['clients', 'list', q, cursor] as const,
  one: (id: string) => ['clients', 'one', id] as const,
  unbilled: (id: string) => ['clients', 'unbilled', id] as const,
};

/** Clients whose name contains `q` (accents and case ignored by the server). */
export function useClients(q: string, cursor?: string) {
  return useQuery({
    queryKey: clientKeys.list(q, cursor),
    queryFn: () => api<Page<Client>>('/api/v1/clients', { query: { q, cursor, limit: 50 } }),
    placeholderData: keepPreviousData,
  });
}

export function useClient(id: string) {
  return useQuery({ queryKey: clientKeys.one(id), queryFn: () => api<Client>(`/api/v1/clients/${id}`) });
}

export function useUnbilled(id: string) {
  return useQuery({ queryKey: clientKeys.unbilled(id), queryFn: () => api<Unbilled>(`/api/v1/clients/${id}/unbilled`, { query: { limit: 100 } }) });
}

export function useCreateClient() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateClient) => mutate<Client>('POST', '/api/v1/clients', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['clients'] }),
  });
}

export function useUpdateClient(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateClient) => mutate<Client>('PATCH', `/api/v1/clients/${id}`, body),
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: ['clients'] }), qc.invalidateQueries({ queryKey: ['tasks'] })]),
  });
}
