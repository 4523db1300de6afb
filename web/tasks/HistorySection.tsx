import { useTranslation } from 'react-i18next';
import type { Task, TaskType } from '../api/types.ts';
import { useFormat } from '../i18n/format.ts';
import { ErrorBanner } from '../ui/Alerts.tsx';
import { useTaskHistory, useUsers } from './queries.ts';
import { statusLabel } from './workflow.ts';

export function HistorySection({ task, type }: { task: Task; type: TaskType | undefined }) {
  const { t, i18n } = useTranslation('tasks');
  const f = useFormat();
  const history = useTaskHistory(task.id);
  const users = useUsers();
  const label = (k: string) => statusLabel(type, k, i18n.language);
  const name = (id: string | null) => users.data?.items.find((u) => u.id === id)?.name;
  const items = history.data?.items ?? [];
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">{t('history.title')}</h2>
      <ErrorBanner error={history.error} />
      {items.length === 0 && <p className="muted">{t('history.empty')}</p>}
      <ol className="notes">
        {items.map((h) => (
          <li key={h.id}>
            {h.from ? t('history.moved', { from: label(h.from), to: label(h.to) }) : t('history.created', { to: label(h.to) })}
            <div className="muted">
              {f.dateTime(h.at)} {name(h.userId) && t('history.by', { name: name(h.userId) })}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
