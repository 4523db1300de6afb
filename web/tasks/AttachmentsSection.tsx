import { useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Attachment, Task } from '../api/types.ts';
import { describeError } from '../ui/errors.ts';
import { ErrorBanner } from '../ui/Alerts.tsx';
import { useDeleteAttachment, useTaskAttachments, useUploadAttachment } from './queries.ts';
import { isClosed } from './workflow.ts';

interface Upload {
  id: number;
  name: string;
  progress: number;
  error?: string;
}

/** Drag-and-drop (or pick) files; each upload shows its progress; photos show a thumbnail. */
export function AttachmentsSection({ task }: { task: Task }) {
  const { t } = useTranslation('tasks');
  const list = useTaskAttachments(task.id);
  const uploadOne = useUploadAttachment(task.id);
  const remove = useDeleteAttachment(task.id);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const seq = useRef(0);
  const own = (list.data?.items ?? []).filter((a) => !a.source);
  const closed = isClosed(task);

  const send = (files: FileList | File[]) => {
    for (const file of Array.from(files)) {
      const id = ++seq.current;
      const patch = (p: Partial<Upload>) => setUploads((u) => u.map((x) => (x.id === id ? { ...x, ...p } : x)));
      setUploads((u) => [...u, { id, name: file.name, progress: 0 }]);
      uploadOne.mutate(
        { file, onProgress: (progress) => patch({ progress }) },
        {
          onSuccess: () => setUploads((u) => u.filter((x) => x.id !== id)),
          onError: (err) => patch({ error: describeError(err, t) }),
        },
      );
    }
  };
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (e.dataTransfer.files.length) send(e.dataTransfer.files);
  };

  return (
    <section className="card" aria-labelledby="attachments-title">
      <h2 id="attachments-title">{t('attachments.title')}</h2>
      {!closed && (
        // biome-ignore lint/a11y/noStaticElementInteractions: dropping files is a mouse shortcut; the button inside is the keyboard path
        <div
          className={over ? 'dropzone over' : 'dropzone'}
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={drop}
        >
          {t('attachments.drop')}{' '}
          <button type="button" onClick={() => input.current?.click()}>
            {t('attachments.choose')}
          </button>
          <input
            ref={input}
            type="file"
            multiple
            hidden
            aria-label={t('attachments.choose')}
            onChange={(e) => {
              if (e.target.files) send(e.target.files);
              e.target.value = '';
            }}
          />
        </div>
      )}
      {uploads.map((u) => (
        <div key={u.id}>
          {u.error ? (
            <p className="banner banner-error" role="alert">
              {t('attachments.failed', { name: u.name, reason: u.error })}
            </p>
          ) : (
            <label>
              {t('attachments.uploading', { name: u.name })}
              <progress max={1} value={u.progress} aria-label={t('attachments.progress', { name: u.name })} />
            </label>
          )}
        </div>
      ))}
      <ErrorBanner error={list.error ?? remove.error} />
      {own.length === 0 && uploads.length === 0 ? (
        <p className="muted">{t('attachments.empty')}</p>
      ) : (
        <AttachmentGrid items={own} onRemove={closed ? undefined : (a) => remove.mutate(a.id)} />
      )}
    </section>
  );
}

/** Thumbnails for photos, a badge for other files; each downloads under its displayed name. */
export function AttachmentGrid({ items, onRemove }: { items: Attachment[]; onRemove?: (a: Attachment) => void }) {
  const { t } = useTranslation('tasks');
  return (
    <ul className="attachments">
      {items.map((a) => (
        <li key={a.id}>
          <a href={a.contentUrl} download={a.displayName} aria-label={t('attachments.download', { name: a.displayName })}>
            {a.kind === 'photo' ? (
              <img src={a.contentUrl} alt={t('attachments.photo', { name: a.displayName })} loading="lazy" decoding="async" />
            ) : (
              <span className="file-icon" aria-hidden="true">
                {(a.fileName.split('.').pop() ?? '').toUpperCase().slice(0, 4)}
              </span>
            )}
          </a>
          <div>{a.displayName}</div>
          <div className="muted">{t('attachments.size', { size: Math.max(1, Math.round(a.size / 1024)) })}</div>
          {onRemove && (
            <button type="button" className="link" aria-label={t('attachments.delete', { name: a.displayName })} onClick={() => onRemove(a)}>
              {t('common:actions.delete')}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
