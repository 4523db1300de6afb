import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { allowedTargets, statusLabel } from '../tasks/workflow.ts';
import { describeError } from '../ui/errors.ts';
import type { Task, TaskType } from './api.ts';
import { DismissedWrite } from './pending-writes.ts';
import { useTrackedWrite } from './queries.ts';

/**
 * The allowed targets from the current status, by category: "Démarrer" → active, from an open
 * task only; "Terminer" → done, from an open or active one. Reopening a finished task is the
 * desk's decision, not a big button on the phone.
 */
export function actionTargets(task: Task, type: TaskType): { start?: string; complete?: string } {
  const targets = allowedTargets(type, task);
  return {
    start: task.statusCategory === 'open' ? targets.find((s) => s.category === 'active')?.key : undefined,
    complete: task.statusCategory === 'open' || task.statusCategory === 'active' ? targets.find((s) => s.category === 'done')?.key : undefined,
  };
}

/** Large "Démarrer" / "Terminer" buttons, only for the transitions the workflow allows now. */
export function TransitionButtons({ task, type }: { task: Task; type: TaskType }) {
  const { t, i18n } = useTranslation('tech');
  const write = useTrackedWrite();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { start, complete } = actionTargets(task, type);
  const labelOf = (key: string) => statusLabel(type, key, i18n.language);
  const go = async (to: string) => {
    setError(null);
    setBusy(true);
    try {
      await write(t('pending.transitionLabel', { status: labelOf(to) }), 'POST', `/api/v1/tasks/${task.id}/transitions`, { to, version: task.version });
    } catch (err) {
      if (!(err instanceof DismissedWrite)) setError(err instanceof ApiError && err.isConflict ? t('conflict') : describeError(err, t));
    } finally {
      setBusy(false);
    }
  };
  if (!start && !complete) return null;
  return (
    <div className="tech-actions">
      {start && (
        <button type="button" className="tech-button tech-button-big" disabled={busy} onClick={() => void go(start)}>
          {t('start')}
        </button>
      )}
      {complete && (
        <button type="button" className="tech-button tech-button-big tech-button-done" disabled={busy} onClick={() => void go(complete)}>
          {t('complete')}
        </button>
      )}
      {error && (
        <p role="alert" className="tech-error">
          {error}
        </p>
      )}
    </div>
  );
}
