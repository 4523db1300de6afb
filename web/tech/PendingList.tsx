import { useTranslation } from 'react-i18next';
import { describeError } from '../ui/errors.ts';
import { usePendingWrites } from './pending-writes.ts';

/** "En attente": what the server has not confirmed yet, with a retry that reuses the same key. */
export function PendingList() {
  const { t } = useTranslation('tech');
  const writes = usePendingWrites();
  if (writes.length === 0) return null;
  return (
    <section className="tech-pending" aria-labelledby="tech-pending-heading" aria-live="polite">
      <h2 id="tech-pending-heading">
        {t('pending.heading')} ({writes.length})
      </h2>
      <p className="tech-hint">{t('pending.intro')}</p>
      <ul>
        {writes.map((w) => (
          <li key={w.id} className={`tech-pending-item tech-pending-${w.state}`}>
            <span>{w.label}</span>
            <span className="tech-hint">{w.state === 'sending' ? t('pending.sending') : t('pending.failed', { error: describeError(w.error, t) })}</span>
            {w.state === 'failed' && (
              <span className="tech-row">
                <button type="button" className="tech-button" onClick={w.retry}>
                  {t('pending.retry')}
                </button>
                <button type="button" className="tech-button tech-button-quiet" onClick={w.dismiss}>
                  {t('pending.dismiss')}
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
