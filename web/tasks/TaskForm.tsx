import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Address, CreateTask, Task } from '../api/types.ts';
import { ConflictNotice, ErrorBanner } from '../ui/Alerts.tsx';
import { Field } from '../ui/Field.tsx';
import { fieldError, isPlacedAt } from '../ui/errors.ts';
import { useClientOptions, useTasks, useTaskTypes, useUsers } from './queries.ts';
import { typeLabel } from './workflow.ts';

/** "2026-11-29T09:00" (the browser's local time) ↔ an ISO instant. */
const toInstant = (local: string): string | undefined => (local ? new Date(local).toISOString() : undefined);
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export interface TaskFormValues {
  title: string;
  description: string;
  typeId: string;
  clientId: string;
  parentId: string;
  assigneeIds: string[];
  scheduledStart: string;
  scheduledEnd: string;
  line1: string;
  city: string;
  region: string;
  postalCode: string;
}

export function initialValues(task?: Task, preset: Partial<TaskFormValues> = {}): TaskFormValues {
  return {
    title: task?.title ?? '',
    description: task?.description ?? '',
    typeId: task?.typeId ?? '',
    clientId: task?.client?.id ?? '',
    parentId: task?.parentId ?? '',
    assigneeIds: task?.assigneeIds ?? [],
    scheduledStart: toLocalInput(task?.scheduledStart),
    scheduledEnd: toLocalInput(task?.scheduledEnd),
    line1: task?.siteAddress?.line1 ?? '',
    city: task?.siteAddress?.city ?? '',
    region: task?.siteAddress?.region ?? 'QC',
    postalCode: task?.siteAddress?.postalCode ?? '',
    ...preset,
  };
}

/** The API body of the form's values (empty fields left out, or cleared with null when editing). */
export function toBody(v: TaskFormValues, editing: boolean) {
  const address: Address | null =
    v.line1.trim() || v.city.trim()
      ? {
          line1: v.line1.trim(),
          city: v.city.trim(),
          country: 'CA',
          ...(v.region ? { region: v.region } : {}),
          ...(v.postalCode.trim() ? { postalCode: v.postalCode.trim() } : {}),
        }
      : null;
  const empty = editing ? null : undefined;
  return {
    title: v.title,
    description: v.description.trim() ? v.description : empty,
    clientId: v.clientId || empty,
    parentId: v.parentId || empty,
    assigneeIds: v.assigneeIds,
    scheduledStart: toInstant(v.scheduledStart) ?? empty,
    scheduledEnd: toInstant(v.scheduledEnd) ?? empty,
    siteAddress: address ?? empty,
  };
}

const PROVINCES = ['QC', 'ON', 'NB', 'NS', 'PE', 'NL', 'MB', 'SK', 'AB', 'BC', 'YT', 'NT', 'NU'];

/**
 * Create or edit a task. The values live here until the server accepts them: an error (or a
 * 409 conflict) leaves everything the person typed in place.
 */
export function TaskForm({
  values,
  onChange,
  onSubmit,
  error,
  pending,
  editing,
  submitLabel,
  onReload,
  onCancel,
}: {
  values: TaskFormValues;
  onChange: (v: TaskFormValues) => void;
  onSubmit: () => void;
  error: unknown;
  pending: boolean;
  editing: boolean;
  submitLabel: string;
  onReload?: () => void;
  onCancel?: () => void;
}) {
  const { t, i18n } = useTranslation('tasks');
  const types = useTaskTypes();
  const users = useUsers();
  const clients = useClientOptions();
  const parents = useTasks({ topLevel: 'true', limit: 500, sort: '-number' });
  const set = <K extends keyof TaskFormValues>(k: K, v: TaskFormValues[K]) => onChange({ ...values, [k]: v });
  const technicians = (users.data?.items ?? []).filter((u) => u.role === 'technician' && u.active);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  const fe = (...names: string[]) => fieldError(error, t, ...names);
  const placed = isPlacedAt(
    error,
    'title',
    'typeId',
    'clientId',
    'parentId',
    'assigneeIds',
    'scheduledStart',
    'scheduledEnd',
    'siteAddress',
    'siteAddress.line1',
    'siteAddress.city',
    'siteAddress.postalCode',
    'description',
  );
  return (
    <form onSubmit={submit} noValidate>
      {onReload && <ConflictNotice error={error} onReload={onReload} />}
      <div className="form-grid">
        <Field label={t('form.title')} error={fe('title')}>
          <input required value={values.title} onChange={(e) => set('title', e.target.value)} />
        </Field>
        <Field label={t('form.type')} error={fe('typeId')}>
          <select required value={values.typeId} disabled={editing} onChange={(e) => set('typeId', e.target.value)}>
            {!values.typeId && <option value="">—</option>}
            {types.data?.items.map((ty) => (
              <option key={ty.id} value={ty.id}>
                {typeLabel(ty, i18n.language)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('form.client')} error={fe('clientId')}>
          <select value={values.clientId} onChange={(e) => set('clientId', e.target.value)}>
            <option value="">{t('form.noClient')}</option>
            {clients.data?.items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('form.parent')} error={fe('parentId')}>
          <select value={values.parentId} onChange={(e) => set('parentId', e.target.value)}>
            <option value="">{t('form.noParent')}</option>
            {values.parentId && !parents.data?.items.some((p) => p.id === values.parentId) && <option value={values.parentId}>{values.parentId}</option>}
            {parents.data?.items.map((p) => (
              <option key={p.id} value={p.id}>
                {p.displayNumber} — {p.title}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('form.scheduled')} error={fe('scheduledStart')}>
          <input type="datetime-local" value={values.scheduledStart} onChange={(e) => set('scheduledStart', e.target.value)} />
        </Field>
        <Field label={t('form.scheduledEnd')} error={fe('scheduledEnd')}>
          <input type="datetime-local" value={values.scheduledEnd} onChange={(e) => set('scheduledEnd', e.target.value)} />
        </Field>
      </div>
      <fieldset>
        <legend>{t('form.technicians')}</legend>
        {technicians.length === 0 && <p className="muted">{t('form.noTechnicians')}</p>}
        <div className="form-grid">
          {technicians.map((u) => (
            <label key={u.id} className="check">
              <input
                type="checkbox"
                checked={values.assigneeIds.includes(u.id)}
                onChange={(e) => set('assigneeIds', e.target.checked ? [...values.assigneeIds, u.id] : values.assigneeIds.filter((x) => x !== u.id))}
              />{' '}
              {u.name}
            </label>
          ))}
        </div>
        {fe('assigneeIds') && (
          <p className="field-error" role="alert">
            {fe('assigneeIds')}
          </p>
        )}
      </fieldset>
      <div className="form-grid">
        <Field label={t('form.site')} hint={t('form.siteHint')} error={fe('siteAddress.line1', 'siteAddress')}>
          <input autoComplete="street-address" value={values.line1} onChange={(e) => set('line1', e.target.value)} />
        </Field>
        <Field label={t('form.city')} error={fe('siteAddress.city')}>
          <input autoComplete="address-level2" value={values.city} onChange={(e) => set('city', e.target.value)} />
        </Field>
        <Field label={t('form.region')} error={fe('siteAddress.region')}>
          <select value={values.region} onChange={(e) => set('region', e.target.value)}>
            {PROVINCES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('form.postalCode')} error={fe('siteAddress.postalCode')}>
          <input autoComplete="postal-code" value={values.postalCode} onChange={(e) => set('postalCode', e.target.value)} />
        </Field>
      </div>
      <Field label={t('form.description')} error={fe('description')}>
        <textarea value={values.description} onChange={(e) => set('description', e.target.value)} />
      </Field>
      {!placed && !(error as { isConflict?: boolean } | null)?.isConflict && <ErrorBanner error={error} />}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={pending}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t('common:actions.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

/** The create body: the form's values plus the type. */
export const toCreateBody = (v: TaskFormValues): CreateTask => ({ ...(toBody(v, false) as Omit<CreateTask, 'typeId'>), typeId: v.typeId });
