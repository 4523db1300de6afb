import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../i18n/format.ts';
import { ErrorBanner, Loading } from '../ui/Alerts.tsx';
import { useRuns, useTaskName } from './queries.ts';

/** Each firing of a rule (or of all rules): when, the task, each step's outcome, the error. */
export function RunLog({ ruleId, title }: { ruleId: string; title: string }) {
  const { t } = useTranslation('rules');
  const f = useFormat();
  const runs = useRuns(ruleId);
  return (
    <section className="card" aria-labelledby={`runs-${ruleId || 'all'}`}>
      <h2 id={`runs-${ruleId || 'all'}`}>{title}</h2>
      <ErrorBanner error={runs.error} />
      {runs.isPending ? (
        <Loading />
      ) : runs.data?.items.length ? (
        <section className="table-wrap" tabIndex={0} aria-label={title}>
          <table>
            <thead>
              <tr>
                <th>{t('run.at')}</th>
                {!ruleId && <th>{t('run.rule')}</th>}
                <th>{t('run.task')}</th>
                <th>{t('run.steps')}</th>
                <th>{t('run.outcome')}</th>
                <th>{t('run.error')}</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.items.map((r) => (
                <tr key={r.id}>
                  <td>
                    {f.dateTime(r.at)}
                    {r.trigger.occurrenceAt && (
                      <div className="muted">
                        {t('run.occurrence', { at: f.dateTime(r.trigger.occurrenceAt) })}
                        {r.trigger.manual ? ` (${t('run.manual')})` : ''}
                      </div>
                    )}
                  </td>
                  {!ruleId && (
                    <td>
                      <Link to={`/rules/${r.ruleId}`}>{r.ruleName}</Link>
                    </td>
                  )}
                  <td>
                    <TaskLink id={r.taskId} />
                    {r.trigger.from && r.trigger.to ? <div className="muted">{`${r.trigger.from} → ${r.trigger.to}`}</div> : null}
                  </td>
                  <td>
                    <ul className="steps">
                      {r.actions.map((a) => (
                        <li key={a.id}>
                          {`${t(`actions.${a.type}`, { defaultValue: a.type })} : ${t(`outcomes.${a.outcome}`, { defaultValue: a.outcome })}`}
                          {stepDetail(a.detail)}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    <span className={r.outcome === 'succeeded' ? 'badge badge-done' : 'badge badge-cancelled'}>{t(`run.${r.outcome}`)}</span>
                  </td>
                  <td>{r.error}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : (
        <p className="muted">{t('common:state.empty')}</p>
      )}
    </section>
  );
}

/** The detail a step logged, in a few words (a created task's number, a reason, a status change). */
function stepDetail(d: unknown): string {
  if (!d || typeof d !== 'object') return '';
  const o = d as Record<string, unknown>;
  if (typeof o.from === 'string' && typeof o.to === 'string') return ` (${o.from} → ${o.to})`;
  if (typeof o.displayNumber === 'string') return ` (${o.displayNumber})`;
  if (typeof o.invoiceNumber === 'string') return ` (${o.invoiceNumber})`;
  if (typeof o.reason === 'string') return ` (${o.reason})`;
  return '';
}

/** The task by its number and title (cached per task; a deleted task keeps a plain link). */
function TaskLink({ id }: { id: string }) {
  const { t } = useTranslation('rules');
  const task = useTaskName(id);
  return <Link to={`/tasks/${id}`}>{task.data ? `${task.data.displayNumber} ${task.data.title}` : t('run.task')}</Link>;
}
