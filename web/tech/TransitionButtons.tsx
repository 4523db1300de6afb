import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { describeError } from '../ui/errors.ts';
import type { Task, TaskType } from './api.ts';
import { DismissedWrite } from './pending-writes.ts';
import { techKeys, useTrackedWrite } from './queries.ts';

/** The allowed targets from the current status, by category: "Démarrer" → active, "Terminer" → done. */
export function actionTargets(task: Task, type: TaskType): { start?: string; complete?: string } {
  const category = new Map(type.workflow.statuses.map((s) => [s.key, s.category]));
  const targets = type.workflow.transitions.filter((tr) => tr.from === task.status).map((tr) => tr.to);
  return {
    start: targets.find((to) => category.get(to) === 'active'),
    complete: targets.find((to) => category.get(to) === 'done'),
  };
}

/** Large "Démarrer" / "Terminer" buttons, only for the transitions the workflow allows now. */
export function TransitionButtons({ task, type }: { task: Task; type: TaskType }) {
  const { t, i18n } = useTranslation('tech');
  const write = useTrackedWrite();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { start, complete } = actionTargets(task, type);
  const labelOf = (key: string) => {
    const s = type.workflow.statuses.find((x) => x.key === key);
    return s ? (i18n.language.startsWith('en') ? s.label.en : s.label.fr) : key;
  };
  const go = async (to: string) => {
    setError(null);
    setBusy(true);
    try {
      await write(t('pending.transitionLabel', { status: labelOf(to) }), 'POST', `/api/v1/tasks/${task.id}/transitions`, { to, version: task.version }, [
        [...techKeys.task(task.id)],
        ['tech'],
        [...techKeys.lines(task.id)],
      ]);
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
