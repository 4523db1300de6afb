import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, mutate } from '../api/client.ts';
import type { ResponseOf, QueryOf } from '../api/types.ts';

export type Invoice = ResponseOf<'/api/v1/invoices/{id}', 'get'>;
export type InvoiceSummary = ResponseOf<'/api/v1/invoices', 'get'>['items'][number];
export type InvoiceQuery = QueryOf<'/api/v1/invoices', 'get'>;
export type CreditNoteResult = ResponseOf<'/api/v1/invoices/{id}/credit-note', 'post'>;

export const invoiceKeys = {
  all: ['invoices'] as const,
  list: (q: InvoiceQuery) => ['invoices', 'list', q] as const,
  one: (id: string) => ['invoices', 'one', id] as const,
};

/** The invoice PDF's address; `inline` shows it in the page instead of downloading it. */
export const invoicePdfUrl = (id: string, inline = false) => `/api/v1/invoices/${id}/pdf${inline ? '?disposition=inline' : ''}`;
/** What a billing task's invoice will look like if issued now. */
export const invoicePreviewUrl = (taskId: string, inline = false) => `/api/v1/tasks/${taskId}/invoice-preview.pdf${inline ? '?disposition=inline' : ''}`;

export function useInvoices(q: InvoiceQuery, enabled = true) {
  return useQuery({
    queryKey: invoiceKeys.list(q),
    queryFn: () => api<ResponseOf<'/api/v1/invoices', 'get'>>('/api/v1/invoices', { query: q }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useInvoice(id: string) {
  return useQuery({ queryKey: invoiceKeys.one(id), queryFn: () => api<Invoice>(`/api/v1/invoices/${id}`), enabled: id !== '' });
}

/** Credits an invoice: the invoice, its task, the client's unbilled work and open invoice all change. */
export function useCreditNote(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => mutate<CreditNoteResult>('POST', `/api/v1/invoices/${id}/credit-note`),
    onSuccess: () => Promise.all(['invoices', 'tasks', 'clients', 'emails'].map((k) => qc.invalidateQueries({ queryKey: [k] }))),
  });
}

export function useMarkPayment(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { status: 'paid' | 'unpaid'; paidAt?: string }) => mutate<InvoiceSummary>('POST', `/api/v1/invoices/${id}/payment`, body),
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: ['invoices'] }), qc.invalidateQueries({ queryKey: ['tasks'] })]),
  });
}
