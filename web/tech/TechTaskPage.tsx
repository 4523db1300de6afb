import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { formatDateTime } from '../i18n/format.ts';
import { ErrorBanner } from '../ui/Alerts.tsx';
import { isClosed, statusLabel } from '../tasks/workflow.ts';
import { formatAddress } from './api.ts';
import { LinesSection } from './LinesSection.tsx';
import { NotesSection } from './NotesSection.tsx';
import { PendingList } from './PendingList.tsx';
import { PhotosSection } from './PhotosSection.tsx';
import { useTask, useTaskType } from './queries.ts';
import { TransitionButtons } from './TransitionButtons.tsx';

/** /tech/tasks/:id — one task on the phone: start, complete, lines, photos, notes. */
export default function TechTaskPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation('tech');
  const task = useTask(id);
  const type = useTaskType(task.data?.typeId);
  if (task.isPending) return <p className="tech-page tech-hint">{t('loading')}</p>;
  if (task.isError) {
    return (
      <div className="tech-page">
        <BackLink />
        <ErrorBanner error={task.error} />
      </div>
    );
  }
  const data = task.data;
  const status = statusLabel(type, data.status, i18n.language);
  // Content can be added while the work is not finished (done/cancelled tasks are frozen).
  const canEdit = !isClosed(data);
  return (
    <div className="tech-page">
      <BackLink />
      <header className="tech-card">
        <p className="tech-task-number">{data.displayNumber}</p>
        <h1>{data.title}</h1>
        <p>
          <span className={`tech-status tech-status-${data.statusCategory}`}>{status}</span>
        </p>
        <dl className="tech-facts">
          {data.client && (
            <>
              <dt>{t('client')}</dt>
              <dd>{data.client.name}</dd>
            </>
          )}
          <dt>{t('schedule')}</dt>
          <dd>{data.scheduledStart ? formatDateTime(data.scheduledStart, i18n.language) : t('notScheduled')}</dd>
          {data.siteAddress && (
            <>
              <dt>{t('site')}</dt>
              <dd>{formatAddress(data.siteAddress)}</dd>
            </>
          )}
        </dl>
        {data.description && <p className="tech-description">{data.description}</p>}
      </header>
      {type && <TransitionButtons task={data} type={type} />}
      <PendingList />
      <LinesSection taskId={id} canEdit={canEdit} />
      <PhotosSection taskId={id} canEdit={canEdit} />
      <NotesSection taskId={id} />
    </div>
  );
}

function BackLink() {
  const { t } = useTranslation('tech');
  return (
    <Link to="/tech" className="tech-back">
      ← {t('back')}
    </Link>
  );
}
