import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../i18n/format.ts';
import { ErrorBanner } from '../ui/Alerts.tsx';
import { fieldError, isPlacedAt } from '../ui/errors.ts';
import { Field } from '../ui/Field.tsx';
import { DismissedWrite } from './pending-writes.ts';
import { useTaskNotes, useTrackedWrite } from './queries.ts';

/** The task's notes and "Ajouter une note". */
export function NotesSection({ taskId }: { taskId: string }) {
  const { t, i18n } = useTranslation('tech');
  const notes = useTaskNotes(taskId);
  const write = useTrackedWrite();
  const [body, setBody] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await write(t('notes.pendingLabel', { excerpt: body.slice(0, 40) }), 'POST', `/api/v1/tasks/${taskId}/notes`, { body });
      setBody('');
    } catch (err) {
      if (!(err instanceof DismissedWrite)) setError(err);
    } finally {
      setBusy(false);
    }
  };
  const items = notes.data?.items ?? [];
  return (
    <section className="tech-card" aria-labelledby="tech-notes-heading">
      <h2 id="tech-notes-heading">{t('notes.heading')}</h2>
      {items.length === 0 ? (
        <p className="tech-hint">{t('notes.empty')}</p>
      ) : (
        <ul className="tech-notes">
          {items.map((n) => (
            <li key={n.id}>
              <p>{n.body}</p>
              <p className="tech-hint">{formatDateTime(n.createdAt, i18n.language)}</p>
            </li>
          ))}
        </ul>
      )}
      <form className="tech-form" onSubmit={(e) => void submit(e)}>
        <Field label={t('notes.add')} error={fieldError(error, t, 'body')}>
          <textarea rows={3} value={body} onChange={(e) => setBody(e.target.value)} />
        </Field>
        {!isPlacedAt(error, 'body') && <ErrorBanner error={error} />}
        <button type="submit" className="tech-button" disabled={busy || body.trim() === ''}>
          {t('notes.submit')}
        </button>
      </form>
    </section>
  );
}
