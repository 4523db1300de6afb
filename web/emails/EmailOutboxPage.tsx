import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ErrorBanner, Loading } from '../ui/Alerts.tsx';
import { EmailTable } from './EmailTable.tsx';
import { useEmails, type EmailQuery } from './queries.ts';

const STATES = ['pending', 'sending', 'sent', 'failed'] as const;

/** The outbox: every email, what was sent, what waits and what failed and why. */
export function EmailOutboxPage() {
  const { t } = useTranslation('billing');
  const [params, setParams] = useSearchParams();
  const [cursors, setCursors] = useState<string[]>([]);
  const state = (params.get('state') ?? '') as EmailQuery['state'] | '';
  const emails = useEmails({ state: state || undefined, limit: 50, cursor: cursors[cursors.length - 1] });
  const items = emails.data?.items ?? [];
  return (
    <>
      <div className="page-head">
        <h1>{t('emails.title')}</h1>
      </div>
      <section className="card" aria-label={t('list.filters')}>
        <div className="filters">
          <div className="field">
            <label htmlFor="e-state">{t('emails.state')}</label>
            <select
              id="e-state"
              value={state}
              onChange={(e) => {
                setParams(e.target.value ? { state: e.target.value } : {}, { replace: true });
                setCursors([]);
              }}
            >
              <option value="">{t('emails.any')}</option>
              {STATES.map((s) => (
                <option key={s} value={s}>
                  {t(`emails.states.${s}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
      </section>
      <ErrorBanner error={emails.error} />
      {emails.isPending && <Loading />}
      {emails.data && items.length === 0 && <p className="muted">{t('emails.empty')}</p>}
      {items.length > 0 && <EmailTable emails={items} caption={t('emails.caption')} />}
      <div className="pager">
        <button type="button" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          {t('common:actions.previous')}
        </button>
        <button type="button" disabled={!emails.data?.nextCursor} onClick={() => setCursors([...cursors, emails.data!.nextCursor!])}>
          {t('common:actions.next')}
        </button>
      </div>
    </>
  );
}
