import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Client } from '../api/types.ts';
import { useCreateTask, useTaskTypes } from '../tasks/queries.ts';
import { ErrorBanner } from '../ui/Alerts.tsx';
import './messages.ts';

/**
 * One action for a client's unbilled work: create the client's Invoice task. Created open for
 * this client, it takes every pending piece of work in its creation transaction (server side).
 */
export function CreateInvoiceTask({ client }: { client: Client }) {
  const { t } = useTranslation('billing');
  const navigate = useNavigate();
  const types = useTaskTypes();
  const create = useCreateTask();
  const billing = types.data?.items.find((ty) => ty.key === 'invoice' && ty.billing) ?? types.data?.items.find((ty) => ty.billing);
  if (types.data && !billing) return <p className="muted">{t('unbilled.noInvoiceType')}</p>;
  return (
    <div className="form-actions">
      <button
        type="button"
        className="primary"
        disabled={!billing || create.isPending}
        onClick={() =>
          create.mutate(
            { typeId: billing!.id, clientId: client.id, title: t('unbilled.invoiceTitle', { client: client.name }) },
            { onSuccess: (task) => navigate(`/tasks/${task.id}`) },
          )
        }
      >
        {t('unbilled.createInvoice')}
      </button>
      <span className="muted">{t('unbilled.takes')}</span>
      <ErrorBanner error={create.error} />
    </div>
  );
}
