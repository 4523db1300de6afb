import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Client } from '../api/types.ts';
import { useFormat } from '../i18n/format.ts';
import { useTasks } from '../tasks/queries.ts';
import { ErrorBanner, Loading } from '../ui/Alerts.tsx';
import { CreateInvoiceTask } from '../invoices/CreateInvoiceTask.tsx';
import { ClientForm, clientBody, clientValuesOf, type ClientValues } from './ClientForm.tsx';
import { useClient, useUnbilled, useUpdateClient } from './queries.ts';

export function ClientPage() {
  const { id = '' } = useParams();
  const client = useClient(id);
  if (client.isPending) return <Loading />;
  if (!client.data) return <ErrorBanner error={client.error} />;
  return <ClientView key={id} client={client.data} refetch={() => void client.refetch()} />;
}

function ClientView({ client, refetch }: { client: Client; refetch: () => void }) {
  const { t } = useTranslation('clients');
  const f = useFormat();
  const update = useUpdateClient(client.id);
  const unbilled = useUnbilled(client.id);
  const tasks = useTasks({ clientId: client.id, topLevel: 'true', limit: 50, sort: '-number' });
  // version null: reloaded after a conflict; the next save applies to the current version.
  const [edit, setEdit] = useState<{ values: ClientValues; version: number | null } | null>(null);
  return (
    <>
      <p>
        <Link to="/clients">← {t('page.back')}</Link>
      </p>
      <div className="page-head">
        <h1>{client.name}</h1>
        <span className="spacer" />
        <button
          type="button"
          onClick={() => {
            update.reset();
            setEdit({ values: clientValuesOf(client), version: client.version });
          }}
        >
          {t('page.edit')}
        </button>
      </div>
      {edit && (
        <section className="card" aria-labelledby="edit-client-title">
          <h2 id="edit-client-title">{t('form.editTitle')}</h2>
          <ClientForm
            values={edit.values}
            onChange={(values) => setEdit({ ...edit, values })}
            error={update.error}
            pending={update.isPending}
            submitLabel={t('form.save')}
            onCancel={() => setEdit(null)}
            onReload={() => {
              refetch();
              setEdit({ ...edit, version: null });
              update.reset();
            }}
            onSubmit={() => update.mutate({ ...clientBody(edit.values, true), version: edit.version ?? client.version }, { onSuccess: () => setEdit(null) })}
          />
        </section>
      )}
      <section className="card">
        <dl className="facts">
          <dt>{t('page.region')}</dt>
          <dd>{client.taxRegion === 'exempt' ? t('form.exempt') : client.taxRegion}</dd>
          <dt>{t('page.language')}</dt>
          <dd>{t(`form.${client.language}`)}</dd>
          <dt>{t('page.emails')}</dt>
          <dd>{client.billingEmails.join(', ') || t('page.none')}</dd>
          <dt>{t('page.terms')}</dt>
          <dd>{client.paymentTermsDays == null ? t('page.termsDefault') : t('page.termsDays', { count: client.paymentTermsDays })}</dd>
        </dl>
      </section>
      <section className="card" aria-labelledby="unbilled-title">
        <h2 id="unbilled-title">{t('page.unbilled')}</h2>
        <ErrorBanner error={unbilled.error} />
        {unbilled.data && unbilled.data.items.length === 0 && <p className="muted">{t('page.unbilledEmpty')}</p>}
        {unbilled.data && unbilled.data.items.length > 0 && (
          <table>
            <tbody>
              {unbilled.data.items.map((u) => (
                <tr key={u.consolidationId}>
                  <td>
                    <Link to={`/tasks/${u.task.id}`}>
                      {u.task.displayNumber} — {u.task.title}
                    </Link>
                  </td>
                  <td className="muted">
                    {u.task.completedAt && t('page.completed', { date: f.date(u.task.completedAt) })} · {t('page.lines', { count: u.lines.length })}
                  </td>
                  <td className="num">{f.money(u.subtotalCents)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <td colSpan={2}>{t('page.unbilledTotal')}</td>
                <td className="num">{f.money(unbilled.data.subtotalCents)}</td>
              </tr>
            </tfoot>
          </table>
        )}
        {unbilled.data && unbilled.data.items.length > 0 && <CreateInvoiceTask client={client} />}
      </section>
      <section className="card" aria-labelledby="client-tasks-title">
        <h2 id="client-tasks-title">{t('page.tasks')}</h2>
        {tasks.data?.items.length === 0 && <p className="muted">{t('page.noTasks')}</p>}
        <ul>
          {tasks.data?.items.map((task) => (
            <li key={task.id}>
              <Link to={`/tasks/${task.id}`}>
                {task.displayNumber} — {task.title}
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
