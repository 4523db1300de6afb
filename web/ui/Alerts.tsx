import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { describeError } from './errors.ts';

/** An error in words, announced to screen readers. Nothing when there is no error. */
export function ErrorBanner({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p className="banner banner-error" role="alert">
      {describeError(error, t)}
    </p>
  );
}

/** Someone else changed the thing (409 stale_version): say so, keep the input, offer the current version. */
export function ConflictNotice({ error, onReload }: { error: unknown; onReload: () => void }) {
  const { t } = useTranslation();
  if (!(error instanceof ApiError) || !error.isConflict) return null;
  return (
    <div className="banner banner-warning" role="alert">
      <strong>{t('conflict.title')}</strong>
      <p>{t('conflict.body')}</p>
      <button type="button" onClick={onReload}>
        {t('conflict.reload')}
      </button>
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="muted" role="status">
      {t('state.loading')}
    </p>
  );
}
