import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../i18n/format.ts';
import { fieldErrorsOf, messageOf } from './api.ts';
import { techKeys, useTaskNotes, useTrackedWrite } from './queries.ts';

/** The task's notes and "Ajouter une note". */
export function NotesSection({ taskId }: { taskId: string }) {
  const { t, i18n } = useTranslation('tech');
  const notes = useTaskNotes(taskId);
  const write = useTrackedWrite();
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await write(t('notes.pendingLabel', { excerpt: body.slice(0, 40) }), 'POST', `/api/v1/tasks/${taskId}/notes`, { body }, [[...techKeys.notes(taskId)]]);
      setBody('');
    } catch (err) {
      if ((err as Error).message !== 'dismissed') setError(fieldErrorsOf(err).body ?? messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const items = notes.data ?? [];
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
        <div className="tech-field">
          <label htmlFor="tech-note">{t('notes.add')}</label>
          <textarea id="tech-note" rows={3} value={body} onChange={(e) => setBody(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? 'tech-note-error' : undefined} />
          {error && (
            <p id="tech-note-error" className="tech-error">
              {error}
            </p>
          )}
        </div>
        <button type="submit" className="tech-button" disabled={busy || body.trim() === ''}>
          {t('notes.submit')}
        </button>
      </form>
    </section>
  );
}
