import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Task } from '../api/types.ts';
import { useFormat } from '../i18n/format.ts';
import { ErrorBanner } from '../ui/Alerts.tsx';
import { Field } from '../ui/Field.tsx';
import { fieldError } from '../ui/errors.ts';
import { useAddNote, useTaskNotes, useUsers } from './queries.ts';

export function NotesSection({ task }: { task: Task }) {
  const { t } = useTranslation('tasks');
  const f = useFormat();
  const notes = useTaskNotes(task.id);
  const users = useUsers();
  const add = useAddNote(task.id);
  const [body, setBody] = useState('');
  const name = (id: string | null) => users.data?.items.find((u) => u.id === id)?.name ?? '—';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate({ body }, { onSuccess: () => setBody('') });
  };
  const items = notes.data?.items ?? [];
  return (
    <section className="card" aria-labelledby="notes-title">
      <h2 id="notes-title">{t('notes.title')}</h2>
      <ErrorBanner error={notes.error} />
      {items.length === 0 ? (
        <p className="muted">{t('notes.empty')}</p>
      ) : (
        <ul className="notes">
          {items.map((n) => (
            <li key={n.id}>
              {n.source && <strong>{n.source.number} — </strong>}
              {n.body}
              <div className="muted">{t('notes.by', { name: name(n.authorId), when: f.dateTime(n.createdAt) })}</div>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} noValidate>
        <Field label={t('notes.body')} error={fieldError(add.error, t, 'body')}>
          <textarea value={body} onChange={(e) => setBody(e.target.value)} />
        </Field>
        {!fieldError(add.error, t, 'body') && <ErrorBanner error={add.error} />}
        <button type="submit" disabled={add.isPending}>
          {t('notes.add')}
        </button>
      </form>
    </section>
  );
}
