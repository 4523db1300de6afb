import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Task } from '../api/types.ts';
import { useOrganization } from '../auth/queries.ts';
import './messages.ts';
import { PdfViewer } from './PdfViewer.tsx';
import { invoicePreviewUrl, useInvoices } from './queries.ts';

/**
 * On a billing task: its issued invoice when there is one, else what the invoice will look like
 * if the task is closed now — the same PDF layout, marked as a preview.
 */
export function InvoicePreviewSection({ task }: { task: Task }) {
  const { t } = useTranslation('billing');
  const issued = useInvoices({ taskId: task.id, kind: 'invoice', limit: 10 });
  const live = issued.data?.items.find((i) => i.status !== 'credited');
  const readiness = useOrganization().data?.invoicing;
  return (
    <section className="card" aria-labelledby="preview-title">
      <h2 id="preview-title">{live ? t('kind.invoice') : t('preview.title')}</h2>
      {live && (
        <p>
          <Link to={`/invoices/${live.id}`}>{t('preview.issued', { number: live.number })}</Link>
        </p>
      )}
      {!live && !task.client && <p className="muted">{t('preview.needsClient')}</p>}
      {!live && readiness && !readiness.ready && (
        <p className="banner banner-warning">{t('preview.notReady', { missing: readiness.missing.map((m) => t(`preview.fields.${m}`)).join(', ') })}</p>
      )}
      {!live && task.client && issued.data && (
        <>
          <p className="muted">{t('preview.body')}</p>
          <PdfViewer
            url={invoicePreviewUrl(task.id)}
            inlineUrl={invoicePreviewUrl(task.id, true)}
            title={t('preview.frame', { task: task.displayNumber })}
            labels={{ download: t('preview.open'), show: t('preview.show'), hide: t('preview.hide') }}
          />
        </>
      )}
    </section>
  );
}
