import { useTranslation } from 'react-i18next';
import type { Task, TaskType } from '../api/types.ts';
import { statusLabel } from './workflow.ts';

export function StatusBadge({ task, type }: { task: Pick<Task, 'status' | 'statusCategory'>; type: TaskType | undefined }) {
  const { i18n } = useTranslation();
  return <span className={`badge badge-${task.statusCategory}`}>{statusLabel(type, task.status, i18n.language)}</span>;
}
