import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TaskType } from '../api/types.ts';
import { typeLabel } from '../tasks/workflow.ts';
import { CheckInput, ChoiceList, getIn, SelectInput, TextInput, useDraft, useFieldError } from '../ui/draft.tsx';
import { useUsers } from '../tasks/queries.ts';

/** The variables a send_email subject or body may use (the server refuses others). */
export const EMAIL_VARIABLES = ['client.name', 'task.number', 'task.title', 'invoice.number', 'invoice.total', 'link'];
const TASK_VARIABLES = ['client.name', 'task.number', 'task.title', 'period.month_name', 'period.year', 'period.next.month_name', 'period.next.year'];

export const ACTION_TYPES = ['consolidate', 'send_email', 'create_task', 'transition_task', 'webhook'] as const;

/** A new action of a type, with the options a person most often wants. */
export function newAction(type: string, types: TaskType[]): Record<string, unknown> {
  const invoice = types.find((tt) => tt.billing);
  switch (type) {
    case 'consolidate':
      return { type, target: 'parent' };
    case 'send_email':
      return { type, to: { clientBilling: true }, templates: { fr: { subject: '', body: '' }, en: { subject: '', body: '' } } };
    case 'create_task':
      return { type, typeId: invoice?.id ?? types[0]?.id, title: '', client: 'same_as_trigger', parent: 'none', assignees: 'none' };
    case 'transition_task':
      return { type, task: 'self', to: '' };
    default:
      return { type, url: '' };
  }
}

export function ActionFields({
  index,
  types,
  statusOptions,
  secret,
}: {
  index: number;
  types: TaskType[];
  statusOptions: { value: string; label: string }[];
  secret?: string;
}) {
  const { draft } = useDraft();
  const { i18n } = useTranslation();
  const lng = i18n.language;
  const p = `actions.${index}`;
  const type = getIn(draft, `${p}.type`) as string;
  const typeOptions = types.map((tt) => ({ value: tt.id, label: typeLabel(tt, lng) }));
  if (type === 'consolidate')
    return <ConsolidateFields p={p} typeOptions={types.filter((tt) => tt.billing).map((tt) => ({ value: tt.id, label: typeLabel(tt, lng) }))} />;
  if (type === 'send_email') return <EmailFields p={p} />;
  if (type === 'create_task') return <CreateTaskFields p={p} typeOptions={typeOptions} />;
  if (type === 'transition_task') return <TransitionFields p={p} statusOptions={statusOptions} />;
  return <WebhookFields p={p} secret={secret} />;
}

function ConsolidateFields({ p, typeOptions }: { p: string; typeOptions: { value: string; label: string }[] }) {
  const { t } = useTranslation('rules');
  const { draft } = useDraft();
  return (
    <div className="form-grid">
      <SelectInput
        path={`${p}.target`}
        label={t('consolidateAction.target')}
        options={['parent', 'client_open_invoice'].map((v) => ({ value: v, label: t(`consolidateAction.${v}`) }))}
      />
      {getIn(draft, `${p}.target`) === 'client_open_invoice' && (
        <SelectInput path={`${p}.invoiceTypeId`} label={t('consolidateAction.invoiceType')} options={typeOptions} empty="—" />
      )}
      <TextInput path={`${p}.attachmentNamePattern`} label={t('consolidateAction.pattern')} hint={t('consolidateAction.patternHint')} />
      <CheckInput path={`${p}.completeTargetWhenDone`} label={t('consolidateAction.completeTarget')} />
    </div>
  );
}

function EmailFields({ p }: { p: string }) {
  const { t } = useTranslation('rules');
  const { draft, set } = useDraft();
  const toError = useFieldError(`${p}.to`);
  // The variable picker inserts at the cursor of the last subject or body field the person used.
  const last = useRef<{ path: string; el: HTMLInputElement | HTMLTextAreaElement } | null>(null);
  const [variable, setVariable] = useState(EMAIL_VARIABLES[0]);
  const onFocusField = (path: string, el: HTMLInputElement | HTMLTextAreaElement) => (last.current = { path, el });
  const insert = () => {
    const target = last.current ?? { path: `${p}.templates.fr.body`, el: null as unknown as HTMLTextAreaElement };
    const text = (getIn(draft, target.path) as string | undefined) ?? '';
    const at = target.el?.selectionStart ?? text.length;
    const end = target.el?.selectionEnd ?? at;
    set(target.path, `${text.slice(0, at)}{${variable}}${text.slice(end)}`);
  };
  const addresses = ((getIn(draft, `${p}.to.addresses`) as string[] | undefined) ?? []).join(', ');
  const addressError = useFieldError(`${p}.to.addresses`, ...[0, 1, 2, 3, 4].map((i) => `${p}.to.addresses.${i}`));
  return (
    <>
      <fieldset className={toError ? 'field-invalid' : undefined}>
        <legend>{t('emailAction.to')}</legend>
        <CheckInput path={`${p}.to.clientBilling`} label={t('emailAction.clientBilling')} />
        <CheckInput path={`${p}.to.assignees`} label={t('emailAction.assignees')} />
        <AddressesInput p={p} value={addresses} error={addressError} />
        {toError && (
          <small className="field-error" role="alert">
            {toError}
          </small>
        )}
      </fieldset>
      <div className="variable-picker">
        <label htmlFor={`${p}-var`}>{t('emailAction.variable')}</label>
        <select id={`${p}-var`} value={variable} onChange={(e) => setVariable(e.target.value)} aria-describedby={`${p}-var-hint`}>
          {EMAIL_VARIABLES.map((v) => (
            <option key={v} value={v}>{`{${v}}`}</option>
          ))}
        </select>
        <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={insert}>
          {t('emailAction.insert')}
        </button>
        <small id={`${p}-var-hint`} className="hint">
          {t('emailAction.insertHint')}
        </small>
      </div>
      {(['fr', 'en'] as const).map((lang) => (
        <fieldset key={lang}>
          <legend>{t(`emailAction.${lang}`)}</legend>
          <TextInput path={`${p}.templates.${lang}.subject`} label={t('emailAction.subject')} onFocusField={onFocusField} />
          <TextInput path={`${p}.templates.${lang}.body`} label={t('emailAction.body')} multiline onFocusField={onFocusField} />
        </fieldset>
      ))}
      <fieldset>
        <legend>{t('emailAction.attach')}</legend>
        <CheckInput path={`${p}.attach.invoicePdf`} label={t('emailAction.invoicePdf')} />
        <SelectInput
          path={`${p}.attach.taskFiles`}
          label={t('emailAction.taskFiles')}
          empty={t('emailAction.files.none')}
          options={['attachments', 'photos', 'all'].map((v) => ({ value: v, label: t(`emailAction.files.${v}`) }))}
        />
      </fieldset>
    </>
  );
}

/** Addresses typed as one comma-separated text, stored as the API's list. */
function AddressesInput({ p, value, error }: { p: string; value: string; error?: string }) {
  const { t } = useTranslation('rules');
  const { set } = useDraft();
  const [text, setText] = useState(value);
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={`${p}-addresses`}>{t('emailAction.addresses')}</label>
      <input
        id={`${p}-addresses`}
        value={text}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${p}-addresses-error` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          set(
            `${p}.to.addresses`,
            e.target.value
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
          );
        }}
      />
      {error && (
        <small id={`${p}-addresses-error`} className="field-error" role="alert">
          {error}
        </small>
      )}
    </div>
  );
}

function CreateTaskFields({ p, typeOptions }: { p: string; typeOptions: { value: string; label: string }[] }) {
  const { t } = useTranslation('rules');
  const { draft } = useDraft();
  const vars = TASK_VARIABLES.map((v) => `{${v}}`).join(' ');
  const hasDate = getIn(draft, `${p}.schedule`) !== undefined;
  const users = useUsers();
  const people = (users.data?.items ?? []).filter((u) => u.active).map((u) => ({ value: u.id, label: u.name }));
  return (
    <>
      <div className="form-grid">
        <SelectInput path={`${p}.typeId`} label={t('createAction.type')} options={typeOptions} />
        <TextInput path={`${p}.title`} label={t('createAction.title')} hint={t('createAction.titleHint', { vars })} />
        <SelectInput
          path={`${p}.client`}
          label={t('createAction.client')}
          options={[
            { value: 'same_as_trigger', label: t('createAction.sameClient') },
            { value: 'none', label: t('createAction.noClient') },
          ]}
        />
        <SelectInput
          path={`${p}.parent`}
          label={t('createAction.parent')}
          options={[
            { value: 'none', label: t('createAction.noParent') },
            { value: 'same_parent', label: t('createAction.sameParent') },
            { value: 'triggering_task', label: t('createAction.triggering') },
          ]}
        />
        <AssigneesInput p={p} />
        <TextInput path={`${p}.status`} label={t('createAction.status')} />
      </div>
      {Array.isArray(getIn(draft, `${p}.assignees`)) && <ChoiceList path={`${p}.assignees`} legend={t('createAction.people')} options={people} />}
      <TextInput path={`${p}.description`} label={t('createAction.description')} multiline hint={t('createAction.titleHint', { vars })} />
      <div className="form-grid">
        <TextInput path={`${p}.schedule.start`} label={t('createAction.start')} hint={hasDate ? undefined : t('createAction.startHint')} />
        {hasDate && <TextInput path={`${p}.schedule.startTime`} label={t('createAction.startTime')} />}
        {hasDate && <TextInput path={`${p}.schedule.end`} label={t('createAction.end')} />}
        {hasDate && <TextInput path={`${p}.schedule.endTime`} label={t('createAction.endTime')} />}
      </div>
    </>
  );
}

function TransitionFields({ p, statusOptions }: { p: string; statusOptions: { value: string; label: string }[] }) {
  const { t } = useTranslation('rules');
  return (
    <div className="form-grid">
      <SelectInput
        path={`${p}.task`}
        label={t('transitionAction.task')}
        options={[
          { value: 'self', label: t('transitionAction.self') },
          { value: 'parent', label: t('transitionAction.parentTask') },
        ]}
      />
      <SelectInput path={`${p}.to`} label={t('transitionAction.to')} options={statusOptions} empty="—" />
    </div>
  );
}

function WebhookFields({ p, secret }: { p: string; secret?: string }) {
  const { t } = useTranslation('rules');
  const { draft } = useDraft();
  const hint = getIn(draft, `${p}.secretHint`) as string | undefined;
  const step = getIn(draft, `${p}.id`) as string | undefined;
  return (
    <>
      <div className="form-grid">
        <TextInput path={`${p}.url`} label={t('webhookAction.url')} type="url" />
        <TextInput path={`${p}.secret`} label={t('webhookAction.secret')} hint={hint ? t('webhookAction.hint', { hint }) : undefined} />
      </div>
      {secret && (
        <div className="banner banner-warning" role="status">
          <p>{t('webhookAction.shownOnce', { step: step ?? '' })}</p>
          <code className="secret">{secret}</code>
        </div>
      )}
    </>
  );
}

/** none, the triggering task's technicians, or chosen people (the API's list of user ids). */
function AssigneesInput({ p }: { p: string }) {
  const { t } = useTranslation('rules');
  const { draft, set } = useDraft();
  const users = useUsers();
  const value = getIn(draft, `${p}.assignees`);
  const mode = Array.isArray(value) ? 'people' : ((value as string | undefined) ?? 'none');
  const error = useFieldError(`${p}.assignees`);
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={`${p}-assignees`}>{t('createAction.assignees')}</label>
      <select
        id={`${p}-assignees`}
        value={mode}
        onChange={(e) => {
          const v = e.target.value;
          const first = users.data?.items.find((u) => u.active && u.role === 'technician') ?? users.data?.items[0];
          set(`${p}.assignees`, v === 'people' ? (first ? [first.id] : 'none') : v);
        }}
      >
        <option value="none">{t('createAction.noAssignees')}</option>
        <option value="same_as_trigger">{t('createAction.sameAssignees')}</option>
        <option value="people">{t('createAction.chosenPeople')}</option>
      </select>
      {error && (
        <small className="field-error" role="alert">
          {error}
        </small>
      )}
    </div>
  );
}
