import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../i18n/format.ts';
import { ErrorBanner } from '../ui/Alerts.tsx';
import { useRetryEmail, type Email } from './queries.ts';

const BADGE = { pending: 'badge-open', sending: 'badge-active', sent: 'badge-done', failed: 'badge-cancelled' } as const;

/** Emails with their state, attempts and last error; a failed one can be retried. */
export function EmailTable({ emails, caption, showTask = true }: { emails: Email[]; caption: string; showTask?: boolean }) {
  const { t } = useTranslation('billing');
  const f = useFormat();
  const retry = useRetryEmail();
  return (
    <>
      <ErrorBanner error={retry.error} />
      {retry.isSuccess && (
        <p className="banner banner-ok" role="status">
          {t('emails.retried')}
        </p>
      )}
      <section className="table-wrap" tabIndex={0} aria-label={caption}>
        <table>
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t('emails.created')}</th>
              <th scope="col">{t('emails.to')}</th>
              <th scope="col">{t('emails.subject')}</th>
              {showTask && <th scope="col">{t('emails.task')}</th>}
              <th scope="col">{t('emails.state')}</th>
              <th scope="col" className="num">
                {t('emails.attempts')}
              </th>
              <th scope="col">{t('emails.lastError')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('emails.retry')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {emails.map((e) => (
              <tr key={e.id}>
                <td>{f.dateTime(e.createdAt)}</td>
                <td>{e.to.join(', ')}</td>
                <td>{e.subject}</td>
                {showTask && (
                  <td>
                    {e.taskId && (
                      <Link to={`/tasks/${e.taskId}`} aria-label={`${t('emails.task')} — ${e.subject}`}>
                        {t('emails.task')}
                      </Link>
                    )}
                  </td>
                )}
                <td>
                  <span className={`badge ${BADGE[e.state]}`}>{t(`emails.states.${e.state}`)}</span>
                  {e.state === 'sent' && e.sentAt && <div className="muted">{f.dateTime(e.sentAt)}</div>}
                  {e.state === 'pending' && e.nextAttemptAt && e.attempts > 0 && (
                    <div className="muted">
                      {t('emails.nextAttempt')} {f.dateTime(e.nextAttemptAt)}
                    </div>
                  )}
                </td>
                <td className="num">{t('emails.attemptsOf', { attempts: e.attempts, max: e.maxAttempts })}</td>
                <td className="error-text">{e.lastError}</td>
                <td>
                  {e.state === 'failed' && (
                    <button type="button" disabled={retry.isPending} onClick={() => retry.mutate(e.id)} aria-label={`${t('emails.retry')} — ${e.subject}`}>
                      {t('emails.retry')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
