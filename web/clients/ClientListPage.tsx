import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { CreateClient } from '../api/types.ts';
import { ErrorBanner, Loading } from '../ui/Alerts.tsx';
import { ClientForm, clientBody, clientValuesOf, type ClientValues } from './ClientForm.tsx';
import { useClients, useCreateClient } from './queries.ts';

export function ClientListPage() {
  const { t } = useTranslation('clients');
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [cursors, setCursors] = useState<string[]>([]);
  const clients = useClients(q, cursors[cursors.length - 1]);
  const create = useCreateClient();
  const [draft, setDraft] = useState<ClientValues | null>(null);
  const items = clients.data?.items ?? [];
  return (
    <>
      <div className="page-head">
        <h1>{t('list.title')}</h1>
        <span className="spacer" />
        <button type="button" className="primary" aria-expanded={!!draft} onClick={() => setDraft(draft ?? clientValuesOf())}>
          {t('list.newClient')}
        </button>
      </div>
      {draft && (
        <section className="card" aria-labelledby="new-client-title">
          <h2 id="new-client-title">{t('form.newTitle')}</h2>
          <ClientForm
            values={draft}
            onChange={setDraft}
            error={create.error}
            pending={create.isPending}
            submitLabel={t('form.create')}
            onCancel={() => setDraft(null)}
            onSubmit={() => create.mutate(clientBody(draft, false) as CreateClient, { onSuccess: (c) => navigate(`/clients/${c.id}`) })}
          />
        </section>
      )}
      <div className="card">
        <div className="field" style={{ maxWidth: 420 }}>
          <label htmlFor="client-q">{t('list.search')}</label>
          <input
            id="client-q"
            type="search"
            value={q}
            onChange={(e) => {
              setParams(e.target.value ? { q: e.target.value } : {}, { replace: true });
              setCursors([]);
            }}
          />
        </div>
        <ErrorBanner error={clients.error} />
        {clients.isPending ? (
          <Loading />
        ) : (
          <div className="table-wrap" tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('list.name')}</th>
                  <th scope="col">{t('list.region')}</th>
                  <th scope="col" className="hide-narrow">
                    {t('list.emails')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link to={`/clients/${c.id}`}>{c.name}</Link>
                    </td>
                    <td>{c.taxRegion}</td>
                    <td className="hide-narrow">{c.billingEmails.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {items.length === 0 && <p className="muted">{t('list.empty')}</p>}
          </div>
        )}
        <nav className="pager" aria-label={t('common:pagination.page', { n: cursors.length + 1 })}>
          <button type="button" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
            {t('common:actions.previous')}
          </button>
          <span>{t('common:pagination.page', { n: cursors.length + 1 })}</span>
          <button
            type="button"
            disabled={!clients.data?.nextCursor}
            onClick={() => clients.data?.nextCursor && setCursors([...cursors, clients.data.nextCursor])}
          >
            {t('common:actions.next')}
          </button>
        </nav>
      </div>
    </>
  );
}
