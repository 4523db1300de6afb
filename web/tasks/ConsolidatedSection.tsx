import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Attachment, InvoiceView } from '../api/types.ts';
import { useFormat } from '../i18n/format.ts';
import { AttachmentGrid } from './AttachmentsSection.tsx';
import type { Group } from './invoice-groups.ts';
import { Totals } from './Totals.tsx';

/**
 * Content moved here from sub-tasks, grouped by the sub-task it was entered on, 200 lines a page
 * ("load more"); the totals always cover every line.
 */
export function ConsolidatedSection({ groups, attachments, view, hasMore, loadMore, loading }: {
  groups: Group[];
  attachments: Attachment[];
  view: InvoiceView;
  hasMore: boolean;
  loadMore: () => void;
  loading: boolean;
}) {
  const { t } = useTranslation('tasks');
  const f = useFormat();
  const shown = groups.reduce((n, g) => n + g.lines.length, 0);
  return (
    <section className="card" aria-labelledby="consolidated-title">
      <h2 id="consolidated-title">{t('consolidated.title')}</h2>
      {groups.length === 0 && <p className="muted">{t('consolidated.empty')}</p>}
      {groups.map((g) => {
        const src = g.source!;
        const files = attachments.filter((a) => a.source?.taskId === src.taskId);
        return (
          <section key={src.taskId} className="group" aria-labelledby={`g-${src.taskId}`}>
            <h3 id={`g-${src.taskId}`}>
              <Link to={`/tasks/${src.taskId}`}>{src.number} — {src.title}</Link>
            </h3>
            <p className="muted">
              {src.completedAt && t('consolidated.completed', { date: f.date(src.completedAt) })}
              {src.assignees.length > 0 && <> · {t('consolidated.by', { names: src.assignees.map((a) => a.name).join(', ') })}</>}
            </p>
            <div className="table-wrap" tabIndex={0}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('lines.description')}</th>
                    <th scope="col" className="num">{t('lines.quantity')}</th>
                    <th scope="col" className="num">{t('lines.unitPrice')}</th>
                    <th scope="col" className="num">{t('lines.amount')}</th>
                  </tr>
                </thead>
                <tbody>
                  {g.lines.map((l) => (
                    <tr key={l.id}>
                      <td>{l.description}{l.taxTreatment === 'exempt' && <span className="muted"> ({t('lines.exempt')})</span>}</td>
                      <td className="num">{f.quantity(l.quantity)}</td>
                      <td className="num">{f.money(l.unitPriceCents, view.currency)}</td>
                      <td className="num">{f.money(l.amountCents, view.currency)}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <td colSpan={3}>{t('consolidated.groupSubtotal', { number: src.number })}</td>
                    <td className="num">{f.money(g.subtotalCents, view.currency)}</td>
                  </tr>
                </tfoot>
              </table>
            </div>
            {files.length > 0 && (
              <>
                <h4>{t('consolidated.attachments', { number: src.number })}</h4>
                <AttachmentGrid items={files} />
              </>
            )}
          </section>
        );
      })}
      {hasMore && (
        <p>
          <span className="muted" role="status">{t('consolidated.loaded', { shown, groups: groups.length })}</span>{' '}
          <button type="button" onClick={loadMore} disabled={loading}>{t('consolidated.loadMore')}</button>
        </p>
      )}
      <Totals totals={view.totals} currency={view.currency} />
    </section>
  );
}
