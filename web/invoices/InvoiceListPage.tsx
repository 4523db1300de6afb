import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useFormat } from '../i18n/format.ts';
import { useClientOptions } from '../tasks/queries.ts';
import { ErrorBanner, Loading } from '../ui/Alerts.tsx';
import { InvoiceStatus } from './InvoiceStatus.tsx';
import { useInvoices, type InvoiceQuery } from './queries.ts';

const PAGE_SIZE = 50;

/** Invoices and credit notes; the filters live in the URL, paging keeps a cursor stack. */
export function InvoiceListPage() {
  const { t } = useTranslation('billing');
  const f = useFormat();
  const [params, setParams] = useSearchParams();
  const [cursors, setCursors] = useState<string[]>([]);
  const clients = useClientOptions();
  const get = (k: string) => params.get(k) ?? '';
  const query: InvoiceQuery = {
    q: get('q').trim() || undefined,
    clientId: get('client') || undefined,
    status: (get('status') || undefined) as InvoiceQuery['status'],
    kind: (get('kind') || undefined) as InvoiceQuery['kind'],
    from: get('from') || undefined,
    to: get('to') || undefined,
    limit: PAGE_SIZE,
    cursor: cursors[cursors.length - 1],
  };
  const invoices = useInvoices(query);
  const setFilter = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
    setCursors([]);
  };
  const clientName = (id: string) => clients.data?.items.find((c) => c.id === id)?.name;
  const items = invoices.data?.items ?? [];

  return (
    <>
      <div className="page-head">
        <h1>{t('list.title')}</h1>
      </div>
      <section className="card" aria-label={t('list.filters')}>
        <div className="filters">
          <div className="field">
            <label htmlFor="i-q">{t('list.search')}</label>
            <input id="i-q" type="search" value={get('q')} onChange={(e) => setFilter('q', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="i-client">{t('list.client')}</label>
            <select id="i-client" value={get('client')} onChange={(e) => setFilter('client', e.target.value)}>
              <option value="">{t('list.any')}</option>
              {clients.data?.items.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="i-status">{t('list.status')}</label>
            <select id="i-status" value={get('status')} onChange={(e) => setFilter('status', e.target.value)}>
              <option value="">{t('list.any')}</option>
              {(['unpaid', 'paid', 'credited'] as const).map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="i-kind">{t('list.kind')}</label>
            <select id="i-kind" value={get('kind')} onChange={(e) => setFilter('kind', e.target.value)}>
              <option value="">{t('list.any')}</option>
              {(['invoice', 'credit_note'] as const).map((k) => (
                <option key={k} value={k}>
                  {t(`kind.${k}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="i-from">{t('list.from')}</label>
            <input id="i-from" type="date" value={get('from')} onChange={(e) => setFilter('from', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="i-to">{t('list.to')}</label>
            <input id="i-to" type="date" value={get('to')} onChange={(e) => setFilter('to', e.target.value)} />
          </div>
        </div>
      </section>
      <ErrorBanner error={invoices.error} />
      {invoices.isPending && <Loading />}
      {invoices.data && items.length === 0 && <p className="muted">{t('list.empty')}</p>}
      {items.length > 0 && (
        <section className="table-wrap" tabIndex={0} aria-label={t('list.caption')}>
          <table>
            <caption className="visually-hidden">{t('list.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('list.number')}</th>
                <th scope="col">{t('list.kind')}</th>
                <th scope="col">{t('list.client')}</th>
                <th scope="col">{t('list.task')}</th>
                <th scope="col">{t('list.issued')}</th>
                <th scope="col">{t('list.status')}</th>
                <th scope="col" className="num">
                  {t('list.total')}
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((inv) => (
                <tr key={inv.id}>
                  <td>
                    <Link to={`/invoices/${inv.id}`}>{inv.number}</Link>
                  </td>
                  <td>{t(`kind.${inv.kind}`)}</td>
                  <td>{clientName(inv.clientId) ?? inv.buyer.name}</td>
                  <td>
                    {inv.task.number} — {inv.task.title}
                  </td>
                  <td>{f.date(`${inv.issueDate}T12:00:00`)}</td>
                  <td>
                    <InvoiceStatus invoice={inv} />
                  </td>
                  <td className="num">{f.money(inv.totals.totalCents, inv.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <div className="pager">
        <button type="button" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          {t('common:actions.previous')}
        </button>
        <button type="button" disabled={!invoices.data?.nextCursor} onClick={() => setCursors([...cursors, invoices.data!.nextCursor!])}>
          {t('common:actions.next')}
        </button>
      </div>
    </>
  );
}
