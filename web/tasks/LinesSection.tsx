import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Line, Task } from '../api/types.ts';
import { useFormat } from '../i18n/format.ts';
import { ErrorBanner } from '../ui/Alerts.tsx';
import { LineForm, emptyLine, lineBody, lineValuesOf } from './LineForm.tsx';
import { useAddLine, useDeleteLine, useUpdateLine } from './queries.ts';
import { isClosed } from './workflow.ts';

/** The task's own lines (consolidated ones are shown by source in ConsolidatedSection). */
export function LinesSection({ task, lines, onReload }: { task: Task; lines: Line[]; onReload: () => void }) {
  const { t, i18n } = useTranslation('tasks');
  const f = useFormat();
  const add = useAddLine(task.id);
  const update = useUpdateLine(task.id);
  const remove = useDeleteLine(task.id);
  // The version the person started from: a line refreshed meanwhile must not hide a conflict.
  // null after "load the current version": the next save applies to the line as it is now.
  const [editing, setEditing] = useState<{ id: string; version: number | null } | null>(null);
  const closed = isClosed(task);
  const subtotal = lines.reduce((s, l) => s + l.amountCents, 0);
  return (
    <section className="card" aria-labelledby="lines-title">
      <h2 id="lines-title">{t('lines.title')}</h2>
      {closed && <p className="muted">{t('lines.closed')}</p>}
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
              <th scope="col" className="hide-narrow">
                {t('lines.taxes')}
              </th>
              <th scope="col" className="num">
                {t('lines.amount')}
              </th>
              {!closed && (
                <th scope="col">
                  <span className="visually-hidden">{t('common:actions.edit')}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {lines.map((l) =>
              editing?.id === l.id ? (
                <tr key={l.id}>
                  <td colSpan={6}>
                    <LineForm
                      initial={lineValuesOf(l, i18n.language)}
                      submitLabel={t('lines.save')}
                      pending={update.isPending}
                      error={update.error}
                      onCancel={() => {
                        setEditing(null);
                        update.reset();
                      }}
                      onReload={() => {
                        onReload();
                        setEditing({ id: l.id, version: null });
                        update.reset();
                      }}
                      onSubmit={(v) =>
                        update.mutate({ lineId: l.id, body: { ...lineBody(v), version: editing.version ?? l.version } }, { onSuccess: () => setEditing(null) })
                      }
                    />
                  </td>
                </tr>
              ) : (
                <tr key={l.id}>
                  <td>{l.description}</td>
                  <td className="num">
                    {f.quantity(l.quantity)}
                    {l.unit ? ` ${l.unit}` : ''}
                  </td>
                  <td className="num hide-narrow">{f.money(l.unitPriceCents)}</td>
                  <td className="hide-narrow">{t(`lines.${l.taxTreatment}`)}</td>
                  <td className="num">{f.money(l.amountCents)}</td>
                  {!closed && (
                    <td className="num">
                      <button
                        type="button"
                        className="link"
                        aria-label={t('lines.edit', { description: l.description })}
                        onClick={() => {
                          update.reset();
                          setEditing({ id: l.id, version: l.version });
                        }}
                      >
                        {t('common:actions.edit')}
                      </button>{' '}
                      <button type="button" className="link" aria-label={t('lines.delete', { description: l.description })} onClick={() => remove.mutate(l.id)}>
                        {t('common:actions.delete')}
                      </button>
                    </td>
                  )}
                </tr>
              ),
            )}
          </tbody>
          {lines.length > 0 && (
            <tfoot>
              <tr>
                <td colSpan={2}>{t('totals.subtotal')}</td>
                <td className="hide-narrow" colSpan={2} />
                <td className="num">{f.money(subtotal)}</td>
                {!closed && <td />}
              </tr>
            </tfoot>
          )}
        </table>
      </div>
      {lines.length === 0 && <p className="muted">{t('lines.empty')}</p>}
      <ErrorBanner error={remove.error} />
      {!closed && (
        <>
          <h3>{t('lines.add')}</h3>
          <LineForm
            initial={emptyLine}
            submitLabel={t('lines.add')}
            pending={add.isPending}
            error={add.error}
            resetOnSuccess
            onSubmit={(v, done) => add.mutate({ body: lineBody(v) }, { onSuccess: done })}
          />
        </>
      )}
    </section>
  );
}
