import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { Task } from '../api/types.ts';
import { Loading } from '../ui/Alerts.tsx';
import { useCreateTask, useTask, useTaskTypes } from './queries.ts';
import { initialValues, TaskForm, toCreateBody, type TaskFormValues } from './TaskForm.tsx';

/** /tasks/new, or /tasks/new?parent=ID for a sub-task (client, type and site taken from the parent). */
export function NewTaskPage() {
  const [params] = useSearchParams();
  const parentId = params.get('parent') ?? '';
  const parent = useTask(parentId);
  const types = useTaskTypes();
  if (types.isPending || (parentId && parent.isPending)) return <Loading />;
  const defaultType = types.data?.items.find((ty) => ty.key === 'work')?.id ?? types.data?.items[0]?.id ?? '';
  return <NewTaskForm parent={parent.data} defaultType={defaultType} />;
}

function presetFrom(parent: Task | undefined, defaultType: string): Partial<TaskFormValues> {
  if (!parent) return { typeId: defaultType };
  const a = parent.siteAddress;
  return {
    parentId: parent.id,
    typeId: parent.typeId,
    clientId: parent.client?.id ?? '',
    line1: a?.line1 ?? '',
    city: a?.city ?? '',
    region: a?.region ?? 'QC',
    postalCode: a?.postalCode ?? '',
  };
}

function NewTaskForm({ parent, defaultType }: { parent: Task | undefined; defaultType: string }) {
  const { t } = useTranslation('tasks');
  const navigate = useNavigate();
  const create = useCreateTask();
  const [values, setValues] = useState<TaskFormValues>(() => initialValues(undefined, presetFrom(parent, defaultType)));
  const back = parent ? `/tasks/${parent.id}` : '/tasks';
  return (
    <>
      <p>
        <Link to={back}>← {parent ? `${parent.displayNumber} — ${parent.title}` : t('page.back')}</Link>
      </p>
      <h1>{parent ? t('form.newSubtask') : t('form.newTitle')}</h1>
      <section className="card">
        <TaskForm
          values={values}
          onChange={setValues}
          editing={false}
          pending={create.isPending}
          error={create.error}
          submitLabel={t('form.create')}
          onCancel={() => navigate(back)}
          onSubmit={() => create.mutate(toCreateBody(values), { onSuccess: (task) => navigate(`/tasks/${task.id}`) })}
        />
      </section>
    </>
  );
}
