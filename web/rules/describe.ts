import type { TFunction } from 'i18next';
import type { Automation, TaskType } from '../api/types.ts';
import { statusLabel } from '../tasks/workflow.ts';

/** A rule's trigger in one sentence: "Quand une tâche passe à « Terminée »", "le dernier jour de chaque mois à 17:00". */
export function describeTrigger(rule: Automation, types: TaskType[], t: TFunction, lng: string): string {
  const tr = rule.trigger as Record<string, unknown>;
  if (tr.type === 'schedule') {
    const s = tr.schedule as { kind: string; time: string; weekday?: number; day?: number | 'last' };
    const weekdays = t('weekdays', { returnObjects: true }) as string[];
    const day = s.day === 'last' ? t('describe.lastDay') : String(s.day ?? '');
    return t('describe.schedule', { when: t(`describe.${s.kind}`, { time: s.time, weekday: weekdays[s.weekday ?? 0] ?? '', day }) });
  }
  if (typeof tr.status === 'string') {
    const type = types.find((tt) => tt.workflow.statuses.some((st) => st.key === tr.status));
    return t('describe.statusKey', { status: statusLabel(type, tr.status, lng) || tr.status });
  }
  return t('describe.category', { category: t(`categories.${String(tr.category)}`) });
}
