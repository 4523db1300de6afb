import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { TaskType } from '../api/types.ts';
import { useFormat } from '../i18n/format.ts';
import { ErrorBanner, Loading } from '../ui/Alerts.tsx';
import { useTasks, useTaskTypes } from './queries.ts';
import { typeLabel } from './workflow.ts';

/** One column per status of one task type's workflow, in workflow order. */
export function TaskBoardPage() {
  const { t, i18n } = useTranslation('tasks');
  const [params, setParams] = useSearchParams();
  const types = useTaskTypes();
  if (types.isPending) return <Loading />;
  const list = types.data?.items ?? [];
  const type = list.find((ty) => ty.id === params.get('type')) ?? list.find((ty) => ty.key === 'work') ?? list[0];
  return (
    <>
      <div className="page-head">
        <h1>{t('board.title')}</h1>
        <Link to="/tasks" className="button">
          {t('list.listView')}
        </Link>
        <span className="spacer" />
        <label className="language-switch">
          <span>{t('board.type')}</span>
          <select value={type?.id ?? ''} onChange={(e) => setParams({ type: e.target.value }, { replace: true })}>
            {list.map((ty) => (
              <option key={ty.id} value={ty.id}>
                {typeLabel(ty, i18n.language)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBanner error={types.error} />
      {type && (
        <div className="board">
          {type.workflow.statuses.map((s) => (
            <Column key={s.key} type={type} status={s} />
          ))}
        </div>
      )}
      <p className="muted">{t('board.more')}</p>
    </>
  );
}

function Column({ type, status }: { type: TaskType; status: TaskType['workflow']['statuses'][number] }) {
  const { t, i18n } = useTranslation('tasks');
  const f = useFormat();
  const tasks = useTasks({ typeId: type.id, status: status.key, limit: 200, sort: 'scheduledStart' });
  const items = tasks.data?.items ?? [];
  const label = i18n.language === 'en' ? status.label.en : status.label.fr;
  return (
    <section className="board-column" aria-label={label}>
      <h2>
        <span>{label}</span>
        <span className="muted">{t('board.count', { count: items.length })}</span>
      </h2>
      <ErrorBanner error={tasks.error} />
      {items.map((task) => (
        <Link key={task.id} to={`/tasks/${task.id}`} className="board-card">
          <strong>{task.displayNumber}</strong> {task.title}
          <div className="muted">{task.client?.name}</div>
          {task.scheduledStart && <div className="muted">{f.dateTime(task.scheduledStart)}</div>}
        </Link>
      ))}
    </section>
  );
}
