import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api/client.ts';
import type { InvoiceView, Task, TaskType } from '../api/types.ts';
import { useFormat } from '../i18n/format.ts';
import { ErrorBanner } from '../ui/Alerts.tsx';
import { taskKeys, useSubtasks, useUsers } from './queries.ts';
import { StatusBadge } from './StatusBadge.tsx';

/** The direct sub-tasks: number, title, status, technicians, and the total of their lines. */
export function SubtasksSection({ task, types }: { task: Task; types: TaskType[] }) {
  const { t } = useTranslation('tasks');
  const subtasks = useSubtasks(task.id);
  const users = useUsers();
  const items = subtasks.data?.items ?? [];
  const name = (id: string) => users.data?.items.find((u) => u.id === id)?.name ?? '…';
  return (
    <section className="card" aria-labelledby="subtasks-title">
      <h2 id="subtasks-title">
        {t('subtasks.title')} <span className="muted">({t('subtasks.count', { count: items.length })})</span>
      </h2>
      <ErrorBanner error={subtasks.error} />
      {items.length === 0 ? (
        <p className="muted">{t('subtasks.empty')}</p>
      ) : (
        <div className="table-wrap" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('list.number')}</th>
                <th scope="col">{t('list.titleCol')}</th>
                <th scope="col">{t('list.status')}</th>
                <th scope="col" className="hide-narrow">
                  {t('list.assignees')}
                </th>
                <th scope="col" className="num">
                  {t('subtasks.total')}
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link to={`/tasks/${s.id}`}>{s.displayNumber}</Link>
                  </td>
                  <td>
                    <Link to={`/tasks/${s.id}`}>{s.title}</Link>
                  </td>
                  <td>
                    <StatusBadge task={s} type={types.find((ty) => ty.id === s.typeId)} />
                  </td>
                  <td className="hide-narrow">{s.assigneeIds.map(name).join(', ')}</td>
                  <td className="num">
                    <SubtaskTotal id={s.id} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** One small request per sub-task (a page of one line carries the whole task's totals). */
function SubtaskTotal({ id }: { id: string }) {
  const f = useFormat();
  const view = useQuery({
    queryKey: [...taskKeys.invoice(id), 'total'],
    queryFn: () => api<InvoiceView>(`/api/v1/tasks/${id}/invoice`, { query: { limit: 1 } }),
    refetchInterval: 30_000,
  });
  return <>{view.data?.totals ? f.money(view.data.totals.subtotalCents, view.data.currency) : ''}</>;
}
