import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useEmails } from '../emails/queries.ts';
import { EmailTable } from '../emails/EmailTable.tsx';
import { useFormat } from '../i18n/format.ts';
import { Totals } from '../tasks/Totals.tsx';
import { ErrorBanner, Loading } from '../ui/Alerts.tsx';
import { CreditNoteDialog } from './CreditNoteDialog.tsx';
import { InvoiceStatus } from './InvoiceStatus.tsx';
import { PaymentSection } from './PaymentSection.tsx';
import { PdfViewer } from './PdfViewer.tsx';
import { invoicePdfUrl, useCreditNote, useInvoice, type Invoice } from './queries.ts';

export function InvoicePage() {
  const { id = '' } = useParams();
  const invoice = useInvoice(id);
  if (invoice.isPending) return <Loading />;
  if (!invoice.data) return <ErrorBanner error={invoice.error} />;
  return <InvoiceView key={id} invoice={invoice.data} />;
}

const day = (d: string) => `${d}T12:00:00`; // a calendar date, shown as that date in any time zone

function InvoiceView({ invoice }: { invoice: Invoice }) {
  const { t } = useTranslation('billing');
  const f = useFormat();
  const credit = useCreditNote(invoice.id);
  const [confirming, setConfirming] = useState(false);
  const emails = useEmails({ taskId: invoice.task.id, limit: 50 });
  const lines = invoice.lines.items;
  return (
    <>
      <p>
        <Link to="/invoices">← {t('invoice.back')}</Link>
      </p>
      <div className="page-head">
        <h1>
          {t(`kind.${invoice.kind}`)} {invoice.number}
        </h1>
        <InvoiceStatus invoice={invoice} />
        <span className="spacer" />
        {invoice.kind === 'invoice' && !invoice.credited && (
          <button
            type="button"
            onClick={() => {
              credit.reset();
              setConfirming(true);
            }}
          >
            {t('invoice.credit')}
          </button>
        )}
      </div>
      {credit.data && (
        <p className="banner banner-ok" role="status">
          {t('invoice.creditDone', { number: credit.data.number, count: credit.data.released })}{' '}
          <Link to={`/invoices/${credit.data.id}`}>{t('invoice.seeCreditNote')}</Link>
        </p>
      )}
      <CreditNoteDialog invoice={invoice} credit={credit} open={confirming} onClose={() => setConfirming(false)} />

      <div className="task-grid">
        <div>
          <section className="card" aria-labelledby="pdf-title">
            <h2 id="pdf-title">{t('invoice.pdf')}</h2>
            <PdfViewer
              url={invoicePdfUrl(invoice.id)}
              inlineUrl={invoicePdfUrl(invoice.id, true)}
              title={t('invoice.pdfFrame', { number: invoice.number })}
              labels={{ download: t('invoice.download'), show: t('invoice.show'), hide: t('invoice.hide') }}
            />
          </section>
          <section className="card" aria-labelledby="lines-title">
            <h2 id="lines-title">{t('invoice.lines')}</h2>
            <section className="table-wrap" tabIndex={0} aria-labelledby="lines-title">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('invoice.source')}</th>
                    <th scope="col">{t('tasks:lines.description')}</th>
                    <th scope="col" className="num">
                      {t('tasks:lines.quantity')}
                    </th>
                    <th scope="col" className="num">
                      {t('tasks:lines.unitPrice')}
                    </th>
                    <th scope="col" className="num">
                      {t('tasks:lines.amount')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {lines.map((l) => (
                    <tr key={l.position}>
                      <td>{l.group ? `${l.group.number} — ${l.group.title}` : t('invoice.own')}</td>
                      <td>{l.description}</td>
                      <td className="num">{f.quantity(l.quantity)}</td>
                      <td className="num">{f.money(l.unitPriceCents, invoice.currency)}</td>
                      <td className="num">{f.money(l.amountCents, invoice.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            {invoice.lineCount > lines.length && <p className="muted">{t('invoice.linesShown', { shown: lines.length, count: invoice.lineCount })}</p>}
            <Totals totals={invoice.totals} currency={invoice.currency} />
          </section>
          <section className="card" aria-labelledby="emails-title">
            <h2 id="emails-title">{t('invoice.emails')}</h2>
            <ErrorBanner error={emails.error} />
            {emails.data && emails.data.items.length === 0 && <p className="muted">{t('emails.empty')}</p>}
            {emails.data && emails.data.items.length > 0 && <EmailTable emails={emails.data.items} caption={t('invoice.emails')} showTask={false} />}
          </section>
        </div>
        <div className="task-aside">
          <section className="card" aria-label={t('invoice.client')}>
            <dl className="facts">
              <dt>{t('invoice.client')}</dt>
              <dd>
                <Link to={`/clients/${invoice.clientId}`}>{invoice.buyer.name}</Link>
              </dd>
              <dt>{t('invoice.task')}</dt>
              <dd>
                <Link to={`/tasks/${invoice.task.id}`}>
                  {invoice.task.number} — {invoice.task.title}
                </Link>
              </dd>
              <dt>{t('invoice.issueDate')}</dt>
              <dd>{f.date(day(invoice.issueDate))}</dd>
              {invoice.dueDate && invoice.kind === 'invoice' && (
                <>
                  <dt>{t('invoice.dueDate')}</dt>
                  <dd>{f.date(day(invoice.dueDate))}</dd>
                </>
              )}
              <dt>{t('invoice.taxRegion')}</dt>
              <dd>{invoice.taxRegion}</dd>
              {invoice.creditsInvoice && (
                <>
                  <dt>{t('invoice.credits')}</dt>
                  <dd>
                    <Link to={`/invoices/${invoice.creditsInvoice.id}`}>{invoice.creditsInvoice.number}</Link>
                  </dd>
                </>
              )}
              {invoice.credited && (
                <>
                  <dt>{t('invoice.creditedBy')}</dt>
                  <dd>
                    <Link to={`/invoices/${invoice.credited.creditNoteId}`}>{f.date(invoice.credited.at)}</Link>
                  </dd>
                </>
              )}
            </dl>
          </section>
          <PaymentSection invoice={invoice} />
        </div>
      </div>
    </>
  );
}
