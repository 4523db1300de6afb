import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { Task, TaskType } from '../api/types.ts';
import { useFormat } from '../i18n/format.ts';
import { ErrorBanner, Loading } from '../ui/Alerts.tsx';
import { AttachmentsSection } from './AttachmentsSection.tsx';
import { ConsolidatedSection } from './ConsolidatedSection.tsx';
import { InvoicePreviewSection } from '../invoices/InvoicePreviewSection.tsx';
import { HistorySection } from './HistorySection.tsx';
import { mergeGroups } from './invoice-groups.ts';
import { LinesSection } from './LinesSection.tsx';
import { NotesSection } from './NotesSection.tsx';
import { useInvoiceView, useSubtasks, useTask, useTaskAttachments, useTaskTypes, useTransition, useUpdateTask, useUsers } from './queries.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { SubtasksSection } from './SubtasksSection.tsx';
import { initialValues, TaskForm, toBody, type TaskFormValues } from './TaskForm.tsx';
import { Totals } from './Totals.tsx';
import { allowedTargets, typeLabel } from './workflow.ts';

export function TaskPage() {
  const { id = '' } = useParams();
  const task = useTask(id);
  const types = useTaskTypes();
  if (task.isPending) return <Loading />;
  if (task.error || !task.data) return <ErrorBanner error={task.error} />;
  const type = types.data?.items.find((ty) => ty.id === task.data.typeId);
  return <TaskView key={id} task={task.data} type={type} types={types.data?.items ?? []} refetch={() => void task.refetch()} />;
}

function TaskView({ task, type, types, refetch }: { task: Task; type: TaskType | undefined; types: TaskType[]; refetch: () => void }) {
  const { t, i18n } = useTranslation('tasks');
  const f = useFormat();
  const navigate = useNavigate();
  const users = useUsers();
  const parent = useTask(task.parentId ?? '');
  const view = useInvoiceView(task.id);
  const subtasks = useSubtasks(task.id);
  const groupedFiles = useTaskAttachments(task.id, true);
  const transition = useTransition(task.id);
  // version null: the person reloaded after a conflict; the next save goes on the current version.
  const [edit, setEdit] = useState<{ values: TaskFormValues; version: number | null } | null>(null);
  const update = useUpdateTask(task.id);

  const pages = view.data?.pages ?? [];
  const { own, consolidated } = useMemo(() => mergeGroups(pages), [pages]);
  const firstPage = pages[0];
  const showConsolidated = consolidated.length > 0 || !!type?.billing || (subtasks.data?.items.length ?? 0) > 0;
  const name = (uid: string) => users.data?.items.find((u) => u.id === uid)?.name ?? '…';
  const a = task.siteAddress;

  return (
    <>
      <p>
        <Link to="/tasks">← {t('page.back')}</Link>
      </p>
      <div className="page-head">
        <h1>
          <span className="muted">{task.displayNumber}</span> {task.title}
        </h1>
        <StatusBadge task={task} type={type} />
        <span className="spacer" />
        <button
          type="button"
          onClick={() => {
            update.reset();
            setEdit({ values: initialValues(task), version: task.version });
          }}
        >
          {t('page.edit')}
        </button>
        {!task.parentId && (
          <button type="button" onClick={() => navigate(`/tasks/new?parent=${task.id}`)}>
            {t('page.newSubtask')}
          </button>
        )}
      </div>

      <section className="card" aria-labelledby="workflow-title">
        <h2 id="workflow-title">{t('page.workflow')}</h2>
        <div className="workflow">
          {allowedTargets(type, task).map((s) => (
            <button
              key={s.key}
              type="button"
              className={s.category === 'done' ? 'primary' : undefined}
              disabled={transition.isPending}
              onClick={() => transition.mutate({ to: s.key, version: task.version })}
            >
              {i18n.language === 'en' ? s.label.en : s.label.fr}
            </button>
          ))}
          {type && allowedTargets(type, task).length === 0 && <p className="muted">{t('page.noTransition')}</p>}
        </div>
        <ErrorBanner error={transition.error} />
      </section>

      {edit && (
        <section className="card" aria-labelledby="edit-title">
          <h2 id="edit-title">{t('form.editTitle')}</h2>
          <TaskForm
            values={edit.values}
            onChange={(values) => setEdit({ ...edit, values })}
            editing
            pending={update.isPending}
            error={update.error}
            submitLabel={t('form.save')}
            onCancel={() => setEdit(null)}
            // Keep what the person typed; only take the current version, so the next save is theirs.
            onReload={() => {
              refetch();
              setEdit({ ...edit, version: null });
              update.reset();
            }}
            onSubmit={() => update.mutate({ ...toBody(edit.values, true), version: edit.version ?? task.version }, { onSuccess: () => setEdit(null) })}
          />
        </section>
      )}

      <div className="task-grid">
        <div>
          <LinesSection task={task} lines={own} onReload={() => void view.refetch()} />
          {!showConsolidated && firstPage && own.length > 0 && (
            <div className="card">{firstPage.totals && <Totals totals={firstPage.totals} currency={firstPage.currency} />}</div>
          )}
          {showConsolidated && firstPage && (
            <ConsolidatedSection
              groups={consolidated}
              attachments={groupedFiles.data?.items ?? []}
              view={firstPage}
              hasMore={!!view.hasNextPage}
              loading={view.isFetchingNextPage}
              loadMore={() => void view.fetchNextPage()}
            />
          )}
          {type?.billing && <InvoicePreviewSection task={task} />}
          {!task.parentId && <SubtasksSection task={task} types={types} />}
          <AttachmentsSection task={task} />
          <NotesSection task={task} />
          <HistorySection task={task} type={type} />
        </div>
        <div className="task-aside">
          <section className="card" aria-label={t('page.type')}>
            <dl className="facts">
              <dt>{t('page.type')}</dt>
              <dd>{typeLabel(type, i18n.language)}</dd>
              <dt>{t('page.client')}</dt>
              <dd>{task.client ? <Link to={`/clients/${task.client.id}`}>{task.client.name}</Link> : t('page.none')}</dd>
              {task.parentId && (
                <>
                  <dt>{t('page.parent')}</dt>
                  <dd>
                    <Link to={`/tasks/${task.parentId}`}>{parent.data ? `${parent.data.displayNumber} — ${parent.data.title}` : '…'}</Link>
                  </dd>
                </>
              )}
              <dt>{t('page.assignees')}</dt>
              <dd>{task.assigneeIds.length ? task.assigneeIds.map(name).join(', ') : t('page.none')}</dd>
              <dt>{t('page.scheduled')}</dt>
              <dd>
                {task.scheduledStart ? `${f.dateTime(task.scheduledStart)}${task.scheduledEnd ? ` – ${f.dateTime(task.scheduledEnd)}` : ''}` : t('page.none')}
              </dd>
              <dt>{t('page.site')}</dt>
              <dd>
                {a ? (
                  <address>
                    {a.line1}
                    {a.line2 ? `, ${a.line2}` : ''}
                    <br />
                    {a.city} {a.region} {a.postalCode}
                  </address>
                ) : (
                  t('page.none')
                )}
              </dd>
              {task.completedAt && (
                <>
                  <dt>{t('page.completed')}</dt>
                  <dd>{f.date(task.completedAt)}</dd>
                </>
              )}
            </dl>
            {task.description && <p style={{ whiteSpace: 'pre-wrap' }}>{task.description}</p>}
          </section>
        </div>
      </div>
    </>
  );
}
