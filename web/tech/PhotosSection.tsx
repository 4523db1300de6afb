import { useState, type ChangeEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorBanner } from '../ui/Alerts.tsx';
import { isRefusal, uploadWithRetry } from './api.ts';
import { DismissedWrite, trackWrite } from './pending-writes.ts';
import { taskKeys } from '../tasks/queries.ts';
import { useTaskAttachments } from './queries.ts';

/** What the task carries (photos as thumbnails) and "Prendre une photo" with upload progress. */
export function PhotosSection({ taskId, canEdit }: { taskId: string; canEdit: boolean }) {
  const { t } = useTranslation('tech');
  const qc = useQueryClient();
  const attachments = useTaskAttachments(taskId);
  const [progress, setProgress] = useState<{ name: string; fraction: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = ''; // the same photo may be chosen again after a failure
    if (!file) return;
    setError(null);
    setProgress({ name: file.name, fraction: 0 });
    // One Idempotency-Key for this photo, whatever the number of tries.
    const send = uploadWithRetry(`/api/v1/tasks/${taskId}/attachments`, file, (fraction) => setProgress({ name: file.name, fraction }));
    try {
      await trackWrite(t('photos.pendingLabel', { name: file.name }), send, isRefusal);
    } catch (err) {
      if (!(err instanceof DismissedWrite)) setError(err);
    } finally {
      setProgress(null);
      void qc.invalidateQueries({ queryKey: taskKeys.attachments(taskId) });
    }
  };
  const items = attachments.data?.items ?? [];
  return (
    <section className="tech-card" aria-labelledby="tech-photos-heading">
      <h2 id="tech-photos-heading">{t('photos.heading')}</h2>
      {items.length === 0 ? (
        <p className="tech-hint">{t('photos.empty')}</p>
      ) : (
        <ul className="tech-photos">
          {items.map((a) => (
            <li key={a.id}>
              <a href={a.contentUrl} target="_blank" rel="noreferrer" aria-label={t('photos.open', { name: a.displayName })}>
                {a.kind === 'photo' ? <img src={a.contentUrl} alt="" loading="lazy" /> : <span className="tech-file">📄</span>}
                <span className="tech-photo-name">{a.displayName}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <label className="tech-button tech-button-big tech-file-button">
          {t('photos.take')}
          <input
            type="file"
            accept="image/*"
            capture="environment"
            className="tech-visually-hidden"
            onChange={(e) => void onFile(e)}
            disabled={progress !== null}
          />
        </label>
      )}
      {progress && (
        <div className="tech-progress">
          <label htmlFor="tech-upload-progress">{t('photos.uploading', { name: progress.name })}</label>
          <progress id="tech-upload-progress" max={1} value={progress.fraction} />
        </div>
      )}
      <ErrorBanner error={error} />
    </section>
  );
}
