import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Attachment, InvoiceView } from '../api/types.ts';
import { useFormat } from '../i18n/format.ts';
import { AttachmentGrid } from './AttachmentsSection.tsx';
import type { Group } from './invoice-groups.ts';
import { Totals } from './Totals.tsx';

/**
 * Content moved here from sub-tasks, grouped by the sub-task it was entered on, 200 lines a page
 * ("load more"); the totals, from the first page, always cover every line.
 */
export function ConsolidatedSection({
  groups,
  attachments,
  view,
  hasMore,
  loadMore,
  loading,
}: {
  groups: Group[];
  attachments: Attachment[];
  view: InvoiceView;
  hasMore: boolean;
  loadMore: () => void;
  loading: boolean;
}) {
  const { t } = useTranslation('tasks');
  const shown = groups.reduce((n, g) => n + g.lines.length, 0);
  return (
    <section className="card" aria-labelledby="consolidated-title">
      <h2 id="consolidated-title">{t('consolidated.title')}</h2>
      {groups.length === 0 && <p className="muted">{t('consolidated.empty')}</p>}
      {groups.map((g) => (
        <GroupView key={g.source!.taskId} group={g} files={attachments.filter((a) => a.source?.taskId === g.source!.taskId)} currency={view.currency} />
      ))}
      {hasMore && (
        <p>
          <span className="muted" role="status">
            {t('consolidated.loaded', { shown, groups: groups.length })}
          </span>{' '}
          <button type="button" onClick={loadMore} disabled={loading}>
            {t('consolidated.loadMore')}
          </button>
        </p>
      )}
      {view.totals && <Totals totals={view.totals} currency={view.currency} />}
    </section>
  );
}

/**
 * One sub-task's group. Loading the next page appends lines to the last group only: the other
 * groups keep the same lines and are not rendered again (10,000 lines stay smooth).
 */
const GroupView = memo(
  function GroupView({ group: g, files, currency }: { group: Group; files: Attachment[]; currency: string }) {
    const { t } = useTranslation('tasks');
    const f = useFormat();
    const src = g.source!;
    return (
      <section className="group" aria-labelledby={`g-${src.taskId}`}>
        <h3 id={`g-${src.taskId}`}>
          <Link to={`/tasks/${src.taskId}`}>
            {src.number} — {src.title}
          </Link>
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
                <th scope="col" className="num">
                  {t('lines.quantity')}
                </th>
                <th scope="col" className="num hide-narrow">
                  {t('lines.unitPrice')}
                </th>
                <th scope="col" className="num">
                  {t('lines.amount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {g.lines.map((l) => (
                <tr key={l.id}>
                  <td>
                    {l.description}
                    {l.taxTreatment === 'exempt' && <span className="muted"> ({t('lines.exempt')})</span>}
                  </td>
                  <td className="num">{f.quantity(l.quantity)}</td>
                  <td className="num hide-narrow">{f.money(l.unitPriceCents, currency)}</td>
                  <td className="num">{f.money(l.amountCents, currency)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <td colSpan={2}>{t('consolidated.groupSubtotal', { number: src.number })}</td>
                <td className="hide-narrow" />
                <td className="num">{f.money(g.subtotalCents, currency)}</td>
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
  },
  (a, b) =>
    a.currency === b.currency &&
    a.group.subtotalCents === b.group.subtotalCents &&
    sameLines(a.group.lines, b.group.lines) &&
    a.files.length === b.files.length &&
    a.files.every((x, i) => x.id === b.files[i].id && x.displayName === b.files[i].displayName),
);

// The lines of a group only grow at the end, and refetched pages keep equal objects (structural sharing).
const sameLines = (a: Group['lines'], b: Group['lines']) => a.length === b.length && a[0] === b[0] && a[a.length - 1] === b[b.length - 1];
