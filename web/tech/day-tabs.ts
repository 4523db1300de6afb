// Which tab of "Mes tâches" a task belongs to, in the phone's own time zone:
// - today: in progress, or open and scheduled today or earlier (late work stays in sight);
// - upcoming: open and scheduled after today, or not scheduled yet;
// - done: completed. Cancelled tasks are not the technician's work any more: in no tab.

export type TechTab = 'today' | 'upcoming' | 'done';
export const TECH_TABS: TechTab[] = ['today', 'upcoming', 'done'];

export interface TabbedTask {
  statusCategory: 'open' | 'active' | 'done' | 'cancelled';
  scheduledStart: string | null;
  completedAt: string | null;
  number: number;
}

/** YYYY-MM-DD of an instant in the local time zone. */
function localDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function tabOf(task: TabbedTask, now: Date): TechTab | null {
  if (task.statusCategory === 'cancelled') return null;
  if (task.statusCategory === 'done') return 'done';
  if (task.statusCategory === 'active') return 'today';
  if (task.scheduledStart && localDay(new Date(task.scheduledStart)) <= localDay(now)) return 'today';
  return 'upcoming';
}

const time = (iso: string | null) => (iso ? Date.parse(iso) : Number.POSITIVE_INFINITY);

/** The tasks of one tab in the order a technician works through them. */
export function tasksOfTab<T extends TabbedTask>(tasks: T[], tab: TechTab, now: Date): T[] {
  const mine = tasks.filter((t) => tabOf(t, now) === tab);
  if (tab === 'done') return mine.sort((a, b) => time(b.completedAt) - time(a.completedAt) || b.number - a.number);
  return mine.sort((a, b) => time(a.scheduledStart) - time(b.scheduledStart) || a.number - b.number);
}
