import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime } from '../i18n/format.ts';
import type { Task } from './api.ts';
import { TECH_TABS, tasksOfTab, type TechTab } from './day-tabs.ts';
import { PendingList } from './PendingList.tsx';
import { useMe } from '../auth/queries.ts';
import { ErrorBanner } from '../ui/Alerts.tsx';
import { useMyTasks } from './queries.ts';

/** /tech — "Mes tâches": today, upcoming, done; the tasks assigned to me and the sub-tasks under them. */
export default function MyTasksPage() {
  const { t } = useTranslation('tech');
  const me = useMe();
  const tasks = useMyTasks(me.data?.id, me.data?.role);
  const [tab, setTab] = useState<TechTab>('today');
  const now = new Date();
  const all = tasks.data ?? [];
  const numberOf = new Map(all.map((x) => [x.id, x.displayNumber]));
  const shown = tasksOfTab(all, tab, now);
  const onKey = (e: KeyboardEvent) => {
    const i = TECH_TABS.indexOf(tab);
    const next = e.key === 'ArrowRight' ? TECH_TABS[(i + 1) % 3] : e.key === 'ArrowLeft' ? TECH_TABS[(i + 2) % 3] : null;
    if (!next) return;
    setTab(next);
    document.getElementById(`tech-tab-${next}`)?.focus();
  };
  return (
    <div className="tech-page">
      <h1>{t('title')}</h1>
      <PendingList />
      <div role="tablist" aria-label={t('tabs.label')} className="tech-tabs" onKeyDown={onKey}>
        {TECH_TABS.map((k) => (
          <button
            key={k}
            id={`tech-tab-${k}`}
            type="button"
            role="tab"
            aria-selected={tab === k}
            aria-controls="tech-tab-panel"
            tabIndex={tab === k ? 0 : -1}
            className="tech-tab"
            onClick={() => setTab(k)}
          >
            {t(`tabs.${k}`)}
            <span className="tech-tab-count">{tasksOfTab(all, k, now).length}</span>
          </button>
        ))}
      </div>
      <div id="tech-tab-panel" role="tabpanel" aria-labelledby={`tech-tab-${tab}`}>
        {tasks.isPending ? (
          <p className="tech-hint">{t('loading')}</p>
        ) : tasks.isError ? (
          <ErrorBanner error={tasks.error} />
        ) : shown.length === 0 ? (
          <p className="tech-hint">{t(`empty.${tab}`)}</p>
        ) : (
          <>
            <p className="tech-hint">{t('count', { count: shown.length })}</p>
            <ul className="tech-list">
              {shown.map((task) => (
                <TaskCard key={task.id} task={task} parentNumber={task.parentId ? numberOf.get(task.parentId) : undefined} />
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}

function TaskCard({ task, parentNumber }: { task: Task; parentNumber?: string }) {
  const { t, i18n } = useTranslation('tech');
  return (
    <li>
      <Link to={`/tech/tasks/${task.id}`} className="tech-task-card">
        <span className="tech-task-number">{task.displayNumber}</span>
        <span className="tech-task-title">{task.title}</span>
        <span className="tech-hint">
          {task.scheduledStart ? formatDateTime(task.scheduledStart, i18n.language) : t('notScheduled')}
          {task.client ? ` · ${task.client.name}` : ''}
        </span>
        {/* The main task is not always the technician's to see: then only say it is a sub-task. */}
        {task.parentId && <span className="tech-hint">{parentNumber ? t('subtaskOf', { number: parentNumber }) : t('subtask')}</span>}
      </Link>
    </li>
  );
}
