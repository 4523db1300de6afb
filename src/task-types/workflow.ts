import { invalid } from '../shared/errors.ts';

export const STATUS_CATEGORIES = ['open', 'active', 'done', 'cancelled'] as const;
export type StatusCategory = (typeof STATUS_CATEGORIES)[number];

export interface WorkflowStatus {
  key: string;
  label: { fr: string; en: string };
  category: StatusCategory;
}

/** A task type's workflow is data: its statuses and the transitions allowed between them. */
export interface Workflow {
  initial: string;
  statuses: WorkflowStatus[];
  transitions: { from: string; to: string }[];
}

/** Rejects a workflow that is not self-consistent, naming the offending part. */
export function checkWorkflow(w: Workflow): void {
  const keys = new Set<string>();
  for (const s of w.statuses) {
    if (keys.has(s.key)) throw invalid('workflow_invalid', `status "${s.key}" appears twice`, { field: 'workflow.statuses' });
    keys.add(s.key);
  }
  if (!keys.has(w.initial)) {
    throw invalid('workflow_invalid', `the initial status "${w.initial}" is not one of the statuses`, { field: 'workflow.initial' });
  }
  const seen = new Set<string>();
  for (const t of w.transitions) {
    for (const end of [t.from, t.to]) {
      if (!keys.has(end)) {
        throw invalid('workflow_invalid', `transition ${t.from} → ${t.to} names an unknown status "${end}"`, {
          field: 'workflow.transitions',
        });
      }
    }
    if (t.from === t.to) throw invalid('workflow_invalid', `transition ${t.from} → ${t.to} goes nowhere`, { field: 'workflow.transitions' });
    const id = `${t.from}\u0000${t.to}`;
    if (seen.has(id)) throw invalid('workflow_invalid', `transition ${t.from} → ${t.to} appears twice`, { field: 'workflow.transitions' });
    seen.add(id);
  }
}

export const statusOf = (w: Workflow, key: string) => w.statuses.find((s) => s.key === key);

export function allowedTargets(w: Workflow, from: string): string[] {
  return w.transitions.filter((t) => t.from === from).map((t) => t.to);
}

export const isAllowed = (w: Workflow, from: string, to: string) => w.transitions.some((t) => t.from === from && t.to === to);
