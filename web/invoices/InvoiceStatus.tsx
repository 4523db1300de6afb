import { useTranslation } from 'react-i18next';
import type { InvoiceSummary } from './queries.ts';

const BADGE = { unpaid: 'badge-active', paid: 'badge-done', credited: 'badge-cancelled' } as const;

/** "Impayée" / "Payée" / "Créditée" for an invoice; "Note de crédit" for a credit note. */
export function InvoiceStatus({ invoice }: { invoice: Pick<InvoiceSummary, 'kind' | 'status'> }) {
  const { t } = useTranslation('billing');
  if (invoice.kind === 'credit_note' || !invoice.status) return <span className="badge badge-open">{t('kind.credit_note')}</span>;
  return <span className={`badge ${BADGE[invoice.status]}`}>{t(`status.${invoice.status}`)}</span>;
}
