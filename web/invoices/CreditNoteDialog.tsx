import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n/format.ts';
import { useTask, useTasks } from '../tasks/queries.ts';
import { ErrorBanner } from '../ui/Alerts.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import type { Invoice, useCreditNote } from './queries.ts';

/**
 * The confirmation before a credit note: it says where the billed work goes — the client's open
 * Invoice task of the same type when there is one (the server releases it there), else the
 * client's unbilled work, for the next invoice.
 */
export function CreditNoteDialog({
  invoice,
  credit,
  open,
  onClose,
}: {
  invoice: Invoice;
  credit: ReturnType<typeof useCreditNote>;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation('billing');
  const f = useFormat();
  const task = useTask(open ? invoice.task.id : '');
  const openInvoices = useTasks({ clientId: invoice.clientId, typeId: task.data?.typeId, statusCategory: 'open', limit: 1 }, open && !!task.data);
  const target = openInvoices.data?.items.find((x) => x.id !== invoice.task.id);
  return (
    <Dialog open={open} title={t('invoice.creditTitle', { number: invoice.number })} onClose={onClose}>
      <p>{t('invoice.creditBody', { number: invoice.number, total: f.money(invoice.totals.totalCents, invoice.currency) })}</p>
      {openInvoices.data && (
        <p>
          <strong>{target ? t('invoice.creditWorkOpen', { task: `${target.displayNumber} — ${target.title}` }) : t('invoice.creditWorkWaits')}</strong>
        </p>
      )}
      <ErrorBanner error={credit.error} />
      <div className="form-actions">
        <button
          type="button"
          className="danger"
          disabled={credit.isPending || !openInvoices.data}
          onClick={() => credit.mutate(undefined, { onSuccess: onClose })}
        >
          {t('invoice.creditConfirm')}
        </button>
        <button type="button" onClick={onClose}>
          {t('common:actions.cancel')}
        </button>
      </div>
    </Dialog>
  );
}
