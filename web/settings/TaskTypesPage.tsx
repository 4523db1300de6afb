import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TaskType } from '../api/types.ts';
import { useTaskTypes } from '../tasks/queries.ts';
import { statusLabel, typeLabel } from '../tasks/workflow.ts';
import { ConflictNotice, ErrorBanner, Loading } from '../ui/Alerts.tsx';
import { fieldError } from '../ui/errors.ts';
import { Field } from '../ui/Field.tsx';
import { useDeleteTaskType, useSaveTaskType } from './queries.ts';

/** /settings/task-types: each type's statuses (with categories), transitions and billing flag, readable and editable as data. */
export function TaskTypesPage() {
  const { t } = useTranslation('settings');
  const types = useTaskTypes();
  const [editing, setEditing] = useState<string | null>(null);
  if (types.isPending) return <Loading />;
  return (
    <>
      <div className="page-head">
        <h1>{t('taskTypes')}</h1>
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => setEditing('new')}>
          {t('types.new')}
        </button>
      </div>
      <ErrorBanner error={types.error} />
      <p className="muted">{t('types.intro')}</p>
      {editing === 'new' && <TaskTypeForm type={null} onDone={() => setEditing(null)} />}
      {types.data?.items.map((tt) =>
        editing === tt.id ? (
          <TaskTypeForm key={tt.id} type={tt} onDone={() => setEditing(null)} />
        ) : (
          <TaskTypeCard key={tt.id} type={tt} onEdit={() => setEditing(tt.id)} />
        ),
      )}
    </>
  );
}

function TaskTypeCard({ type, onEdit }: { type: TaskType; onEdit: () => void }) {
  const { t, i18n } = useTranslation('settings');
  const lng = i18n.language;
  const remove = useDeleteTaskType();
  const name = typeLabel(type, lng);
  return (
    <section className="card" aria-labelledby={`type-${type.id}`}>
      <h2 id={`type-${type.id}`}>
        {name} <span className="muted">({type.prefix}-…)</span>
        {type.billing && <span className="badge badge-active">{t('types.billing')}</span>}
      </h2>
      <div className="task-grid">
        <div>
          <h3>{t('types.statuses')}</h3>
          <ul>
            {type.workflow.statuses.map((s) => (
              <li key={s.key}>
                {statusLabel(type, s.key, lng)} <code>{s.key}</code> <span className={`badge badge-${s.category}`}>{t(`types.categories.${s.category}`)}</span>
                {s.key === type.workflow.initial && <span className="muted"> — {t('types.initial')}</span>}
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h3>{t('types.transitions')}</h3>
          <ul>
            {type.workflow.transitions.map((tr) => (
              <li key={`${tr.from}-${tr.to}`}>
                {statusLabel(type, tr.from, lng)} → {statusLabel(type, tr.to, lng)}
              </li>
            ))}
          </ul>
        </div>
      </div>
      <ErrorBanner error={remove.error} />
      <div className="form-actions">
        <button type="button" onClick={onEdit}>
          {t('types.edit', { name })}
        </button>
        <button type="button" className="danger" onClick={() => window.confirm(t('common:actions.confirmDelete', { name })) && remove.mutate(type.id)}>
          {t('types.delete', { name })}
        </button>
      </div>
    </section>
  );
}

const EMPTY_WORKFLOW = {
  initial: 'todo',
  statuses: [
    { key: 'todo', label: { fr: 'À faire', en: 'To do' }, category: 'open' },
    { key: 'done', label: { fr: 'Terminée', en: 'Done' }, category: 'done' },
  ],
  transitions: [{ from: 'todo', to: 'done' }],
};

/** The type as data: labels, prefix, billing flag, and the workflow as JSON (statuses, categories, transitions). */
function TaskTypeForm({ type, onDone }: { type: TaskType | null; onDone: () => void }) {
  const { t } = useTranslation('settings');
  const save = useSaveTaskType();
  const [form, setForm] = useState({
    key: '',
    fr: type?.label.fr ?? '',
    en: type?.label.en ?? '',
    prefix: type?.prefix ?? '',
    billing: type?.billing ?? false,
    workflow: JSON.stringify(type?.workflow ?? EMPTY_WORKFLOW, null, 2),
  });
  const [jsonError, setJsonError] = useState<string | null>(null);
  const err = (...names: string[]) => fieldError(save.error, t, ...names);
  const workflowError =
    jsonError ??
    err(
      'workflow',
      'workflow.initial',
      'workflow.statuses',
      'workflow.transitions',
      ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((i) => [`workflow.statuses.${i}.key`, `workflow.statuses.${i}.category`, `workflow.transitions.${i}.from`]),
    );
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    let workflow: unknown;
    try {
      workflow = JSON.parse(form.workflow);
      setJsonError(null);
    } catch (x) {
      setJsonError(t('types.badJson', { reason: x instanceof Error ? x.message : '' }));
      return;
    }
    const body: Record<string, unknown> = { label: { fr: form.fr, en: form.en }, prefix: form.prefix, billing: form.billing, workflow };
    if (type) body.version = type.version;
    else body.key = form.key;
    save.mutate({ id: type?.id ?? null, body }, { onSuccess: onDone });
  };
  const on = (k: 'key' | 'fr' | 'en' | 'prefix' | 'workflow') => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  return (
    <section className="card" aria-labelledby="type-form-title">
      <h2 id="type-form-title">{type ? t('types.editTitle', { name: type.label.fr }) : t('types.new')}</h2>
      <form noValidate onSubmit={submit}>
        <ErrorBanner error={save.error} />
        <ConflictNotice error={save.error} onReload={onDone} />
        <div className="form-grid">
          {!type && (
            <Field label={t('types.key')} error={err('key')}>
              <input value={form.key} onChange={on('key')} />
            </Field>
          )}
          <Field label={t('types.labelFr')} error={err('label.fr', 'label')}>
            <input value={form.fr} onChange={on('fr')} />
          </Field>
          <Field label={t('types.labelEn')} error={err('label.en')}>
            <input value={form.en} onChange={on('en')} />
          </Field>
          <Field label={t('types.prefix')} error={err('prefix')}>
            <input value={form.prefix} onChange={on('prefix')} />
          </Field>
        </div>
        <div className="check">
          <input id="type-billing" type="checkbox" checked={form.billing} onChange={(e) => setForm((f) => ({ ...f, billing: e.target.checked }))} />
          <label htmlFor="type-billing">{t('types.billingLabel')}</label>
        </div>
        <Field label={t('types.workflow')} error={workflowError} hint={t('types.workflowHint')}>
          <textarea className="code" rows={16} value={form.workflow} onChange={on('workflow')} spellCheck={false} />
        </Field>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={save.isPending}>
            {t('types.save')}
          </button>
          <button type="button" onClick={onDone}>
            {t('common:actions.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
