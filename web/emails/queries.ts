import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, mutate } from '../api/client.ts';
import type { QueryOf, ResponseOf } from '../api/types.ts';

export type Email = ResponseOf<'/api/v1/emails', 'get'>['items'][number];
export type EmailQuery = QueryOf<'/api/v1/emails', 'get'>;

export function useEmails(q: EmailQuery, enabled = true) {
  return useQuery({
    queryKey: ['emails', 'list', q],
    queryFn: () => api<ResponseOf<'/api/v1/emails', 'get'>>('/api/v1/emails', { query: q }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Queues a failed email again (attempts reset, same Message-ID). */
export function useRetryEmail() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => mutate<Email>('POST', `/api/v1/emails/${id}/retry`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['emails'] }),
  });
}
