import { useTranslation } from 'react-i18next';
import type { Automation } from '../api/types.ts';
import { intlLocaleOf } from '../i18n/format.ts';
import { ErrorBanner, Loading } from '../ui/Alerts.tsx';
import { useIssuedInvoice, useOccurrences, useRunNow, useUpcoming } from './queries.ts';

/** A scheduled rule's next and past occurrences, and "run now" (what `chantier run-schedule` does). */
export function SchedulePanel({ rule }: { rule: Automation }) {
  const { t, i18n } = useTranslation('rules');
  const upcoming = useUpcoming(rule.id, true);
  const past = useOccurrences(rule.id, true);
  const run = useRunNow(rule.id);
  const tz = upcoming.data?.timeZone;
  const fmt = (iso: string) =>
    new Intl.DateTimeFormat(intlLocaleOf(i18n.language), { dateStyle: 'full', timeStyle: 'short', timeZone: tz }).format(new Date(iso));
  const latestRan = (past.data?.items ?? []).some((o) => o.state !== 'skipped');
  const ask = (body: { early?: boolean; rerun?: boolean }) => {
    if (window.confirm(t('schedulePanel.confirmRun'))) run.mutate(body);
  };
  return (
    <section className="card" aria-labelledby="schedule-title">
      <h2 id="schedule-title">{t('schedulePanel.title')}</h2>
      {tz && <p className="muted">{t('schedulePanel.timeZone', { tz })}</p>}
      <div className="task-grid">
        <div>
          <h3>{t('schedulePanel.next')}</h3>
          {upcoming.isPending ? (
            <Loading />
          ) : (
            <ol>
              {upcoming.data?.items.map((at) => (
                <li key={at}>{fmt(at)}</li>
              ))}
            </ol>
          )}
          <div className="form-actions">
            <button type="button" className="primary" disabled={run.isPending} onClick={() => ask(latestRan ? { early: true } : {})}>
              {latestRan ? t('schedulePanel.runEarly') : t('schedulePanel.runNow')}
            </button>
            <button type="button" disabled={run.isPending} onClick={() => ask({ rerun: true })}>
              {t('schedulePanel.rerun')}
            </button>
          </div>
          <ErrorBanner error={run.error} />
          {run.data && (
            <div className="banner banner-ok" role="status">
              <p>
                {t('schedulePanel.ran', { at: fmt(run.data.occurrenceAt), ...run.data })}
                {run.data.early ? ` ${t('schedulePanel.early')}` : ''}
              </p>
              <ul className="steps">
                {run.data.tasks.map((task) => (
                  <li key={task.id}>
                    <a href={`/tasks/${task.id}`}>{task.displayNumber}</a> {task.title} — {t(`run.${task.outcome}`, { defaultValue: task.outcome })}
                    {task.steps?.length
                      ? ` : ${task.steps.map((s) => `${t(`actions.${s.type}`, { defaultValue: s.type })} : ${t(`outcomes.${s.outcome}`, { defaultValue: s.outcome })}`).join(' ; ')}`
                      : ''}
                    {task.error ? ` — ${task.error}` : ''}
                    {task.outcome === 'succeeded' && <IssuedInvoice taskId={task.id} />}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
        <div>
          <h3>{t('schedulePanel.past')}</h3>
          {past.isPending ? (
            <Loading />
          ) : past.data?.items.length ? (
            <ul className="steps">
              {past.data.items.map((o) => (
                <li key={o.id}>
                  {fmt(o.occurrenceAt)} — <span className="badge badge-open">{t(`schedulePanel.states.${o.state}`)}</span>
                  {o.manual ? ` (${t('schedulePanel.manual')})` : ''}
                  {o.summary && <div className="muted">{t('schedulePanel.summary', o.summary)}</div>}
                  {o.error && <div className="field-error">{o.error}</div>}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t('schedulePanel.none')}</p>
          )}
        </div>
      </div>
    </section>
  );
}

/** The invoice a run issued for a task, by number, with its PDF. */
function IssuedInvoice({ taskId }: { taskId: string }) {
  const { t } = useTranslation('rules');
  const invoice = useIssuedInvoice(taskId);
  if (!invoice.data) return null;
  return (
    <div>
      {t('schedulePanel.issued', { number: invoice.data.number })} —{' '}
      <a href={`/api/v1/invoices/${invoice.data.id}/pdf`} target="_blank" rel="noreferrer">
        {t('schedulePanel.pdf', { number: invoice.data.number })}
      </a>
    </div>
  );
}
