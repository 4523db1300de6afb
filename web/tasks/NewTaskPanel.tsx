import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCreateTask, useTaskTypes } from './queries.ts';
import { initialValues, TaskForm, toCreateBody, type TaskFormValues } from './TaskForm.tsx';

/** "Nouvelle tâche" / "Nouvelle sous-tâche": the form in a card; opens the new task once created. */
export function NewTaskPanel({ title, preset = {}, onClose }: { title: string; preset?: Partial<TaskFormValues>; onClose: () => void }) {
  const { t } = useTranslation('tasks');
  const navigate = useNavigate();
  const types = useTaskTypes();
  const create = useCreateTask();
  const defaultType = types.data?.items.find((ty) => ty.key === 'work')?.id ?? types.data?.items[0]?.id ?? '';
  const [values, setValues] = useState<TaskFormValues | null>(null);
  const v = values ?? initialValues(undefined, { typeId: defaultType, ...preset });
  return (
    <section className="card" aria-labelledby="new-task-title">
      <h2 id="new-task-title">{title}</h2>
      <TaskForm
        values={v}
        onChange={setValues}
        editing={false}
        pending={create.isPending}
        error={create.error}
        submitLabel={t('form.create')}
        onCancel={onClose}
        onSubmit={() => create.mutate(toCreateBody(v), { onSuccess: (task) => navigate(`/tasks/${task.id}`) })}
      />
    </section>
  );
}
