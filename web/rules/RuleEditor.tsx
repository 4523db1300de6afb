import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Automation, TaskType } from '../api/types.ts';
import { useTaskTypes } from '../tasks/queries.ts';
import { statusLabel, typeLabel } from '../tasks/workflow.ts';
import { ConflictNotice, ErrorBanner, Loading } from '../ui/Alerts.tsx';
import { ACTION_TYPES, ActionFields, newAction } from './ActionFields.tsx';
import { ChoiceList, DraftProvider, getIn, isFieldError, SelectInput, setIn, TextInput, useDraft, type Json } from '../ui/draft.tsx';
import { useSaveRule, type SavedRule } from './queries.ts';

const CATEGORIES = ['open', 'active', 'done', 'cancelled'];
const TAX_REGIONS = ['QC', 'ON', 'AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'NT', 'NU', 'PE', 'SK', 'YT', 'exempt'];

/** The API body of a rule, from the rule as GET shows it (server-kept fields left out). */
export function draftOf(rule: Automation | null): Json {
  if (!rule) return { name: '', enabled: false, trigger: { type: 'status_entered', category: 'done' }, conditions: {}, actions: [] };
  return { name: rule.name, trigger: rule.trigger, conditions: rule.conditions, actions: rule.actions, version: rule.version };
}

/** The editor for a whole rule: trigger, conditions, actions; the server's errors at their fields. */
export function RuleEditor({
  rule,
  onSaved,
  reload,
  shownSecrets,
}: {
  rule: Automation | null;
  onSaved: (saved: SavedRule) => void;
  reload?: () => Promise<Automation | undefined>;
  shownSecrets?: Record<string, string>;
}) {
  const { t } = useTranslation('rules');
  const types = useTaskTypes();
  const [draft, setDraft] = useState<Json>(() => draftOf(rule));
  const [secrets, setSecrets] = useState<Record<string, string>>(shownSecrets ?? {});
  const save = useSaveRule(rule?.id ?? null);
  const set = (path: string, value: unknown) => setDraft((d) => setIn(d, path, value));
  if (types.isPending) return <Loading />;
  const typeList = types.data?.items ?? [];
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    save.mutate(draft, {
      onSuccess: (saved) => {
        setSecrets(saved.secrets ?? {});
        setDraft(draftOf(saved));
        onSaved(saved);
      },
    });
  };
  return (
    <DraftProvider value={{ draft, set, error: save.error }}>
      <form onSubmit={submit} noValidate aria-labelledby="rule-editor-title">
        <h2 id="rule-editor-title">{rule ? t('editor.edit') : t('editor.create')}</h2>
        {save.error ? (
          isFieldError(save.error) ? (
            <p className="banner banner-error" role="alert">
              {t('editor.seeFields')}
            </p>
          ) : (
            <ErrorBanner error={save.error} />
          )
        ) : null}
        {/* Someone else saved the rule: take their version number, keep what this person typed. */}
        <ConflictNotice error={save.error} onReload={() => void reload?.().then((fresh) => fresh && setDraft((d) => ({ ...d, version: fresh.version })))} />
        <TextInput path="name" label={t('editor.name')} />
        {!rule && <EnabledAtCreate />}
        <TriggerFields types={typeList} />
        <ConditionFields types={typeList} />
        <ActionList types={typeList} secrets={secrets} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={save.isPending}>
            {t('editor.save')}
          </button>
          {save.isSuccess && (
            <span className="banner-ok" role="status">
              {t('editor.saved')}
            </span>
          )}
        </div>
      </form>
    </DraftProvider>
  );
}

function EnabledAtCreate() {
  const { t } = useTranslation('rules');
  const { draft, set } = useDraft();
  return (
    <div className="check">
      <input id="rule-enabled" type="checkbox" checked={draft.enabled === true} onChange={(e) => set('enabled', e.target.checked)} />
      <label htmlFor="rule-enabled">{t('editor.enabledAtCreate')}</label>
    </div>
  );
}

/** Every status key of the organization's types, labelled (a trigger may name any). */
function useStatusOptions(types: TaskType[]) {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const seen = new Map<string, string>();
    for (const tt of types) for (const s of tt.workflow.statuses) if (!seen.has(s.key)) seen.set(s.key, `${statusLabel(tt, s.key, i18n.language)} (${s.key})`);
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [types, i18n.language]);
}

function TriggerFields({ types }: { types: TaskType[] }) {
  const { t, i18n } = useTranslation('rules');
  const { draft, set } = useDraft();
  const statusOptions = useStatusOptions(types);
  const typeOptions = types.map((tt) => ({ value: tt.id, label: typeLabel(tt, i18n.language) }));
  const kind = getIn(draft, 'trigger.type') as string;
  const byCategory = getIn(draft, 'trigger.status') === undefined;
  const scheduleKind = getIn(draft, 'trigger.schedule.kind') as string | undefined;
  const categories = CATEGORIES.map((c) => ({ value: c, label: t(`categories.${c}`) }));
  const switchKind = (to: string) =>
    set(
      'trigger',
      to === 'schedule'
        ? {
            type: 'schedule',
            schedule: { kind: 'monthly', day: 'last', time: '17:00' },
            target: { taskTypeIds: types.filter((tt) => tt.billing).map((tt) => tt.id), statusCategory: 'open', hasContent: true },
          }
        : { type: 'status_entered', category: 'done' },
    );
  return (
    <fieldset>
      <legend>{t('editor.trigger')}</legend>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="trigger-type">{t('editor.triggerType')}</label>
          <select id="trigger-type" value={kind} onChange={(e) => switchKind(e.target.value)}>
            <option value="status_entered">{t('editor.statusEntered')}</option>
            <option value="schedule">{t('editor.schedule')}</option>
          </select>
        </div>
        {kind === 'status_entered' && (
          <div className="field">
            <label htmlFor="trigger-by">{t('editor.by')}</label>
            <select
              id="trigger-by"
              value={byCategory ? 'category' : 'status'}
              onChange={(e) => {
                const next = setIn(setIn(draft.trigger, 'status', undefined), 'category', undefined) as Json;
                set('trigger', e.target.value === 'status' ? { ...next, status: statusOptions[0]?.value } : { ...next, category: 'done' });
              }}
            >
              <option value="status">{t('editor.byStatus')}</option>
              <option value="category">{t('editor.byCategory')}</option>
            </select>
          </div>
        )}
        {kind === 'status_entered' && !byCategory && <SelectInput path="trigger.status" label={t('editor.status')} options={statusOptions} />}
        {kind === 'status_entered' && byCategory && <SelectInput path="trigger.category" label={t('editor.category')} options={categories} />}
        {kind === 'schedule' && (
          <>
            <SelectInput
              path="trigger.schedule.kind"
              label={t('editor.kind')}
              options={['daily', 'weekly', 'monthly'].map((v) => ({ value: v, label: t(`editor.${v}`) }))}
            />
            {scheduleKind === 'weekly' && (
              <SelectInput
                path="trigger.schedule.weekday"
                label={t('editor.weekday')}
                parse={Number}
                options={[1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: String(d), label: (t('weekdays', { returnObjects: true }) as string[])[d] }))}
              />
            )}
            {scheduleKind === 'monthly' && (
              <SelectInput
                path="trigger.schedule.day"
                label={t('editor.day')}
                parse={(v) => (v === 'last' ? 'last' : Number(v))}
                options={[
                  { value: 'last', label: t('editor.lastDay') },
                  ...Array.from({ length: 28 }, (_, i) => ({ value: String(i + 1), label: String(i + 1) })),
                ]}
              />
            )}
            <TextInput path="trigger.schedule.time" label={t('editor.time')} />
          </>
        )}
      </div>
      {kind === 'status_entered' && <ChoiceList path="trigger.taskTypeIds" legend={t('editor.taskTypes')} options={typeOptions} />}
      {kind === 'status_entered' && <ChoiceList path="trigger.fromStatuses" legend={t('editor.fromStatuses')} options={statusOptions} />}
      {kind === 'schedule' && (
        <fieldset>
          <legend>{t('editor.target')}</legend>
          <ChoiceList path="trigger.target.taskTypeIds" legend={t('editor.targetTypes')} options={typeOptions} />
          <div className="form-grid">
            <SelectInput path="trigger.target.statusCategory" label={t('editor.targetStatusCategory')} options={categories} empty={t('editor.anyCategory')} />
            <SelectInput
              path="trigger.target.hasContent"
              label={t('editor.hasContent')}
              parse={(v) => v === 'true'}
              empty={t('editor.any')}
              options={[
                { value: 'true', label: t('editor.withContent') },
                { value: 'false', label: t('editor.withoutContent') },
              ]}
            />
          </div>
        </fieldset>
      )}
    </fieldset>
  );
}

function ConditionFields({ types }: { types: TaskType[] }) {
  const { t, i18n } = useTranslation('rules');
  const typeOptions = types.map((tt) => ({ value: tt.id, label: typeLabel(tt, i18n.language) }));
  return (
    <fieldset>
      <legend>{t('editor.conditions')}</legend>
      <ChoiceList path="conditions.taskTypeIds" legend={t('editor.condTypes')} options={typeOptions} />
      <SelectInput
        path="conditions.hasParent"
        label={t('editor.hasParent')}
        parse={(v) => v === 'true'}
        empty={t('editor.any')}
        options={[
          { value: 'true', label: t('editor.withParent') },
          { value: 'false', label: t('editor.withoutParent') },
        ]}
      />
      <ChoiceList path="conditions.parentTypeIds" legend={t('editor.parentTypes')} options={typeOptions} />
      <ChoiceList path="conditions.clientTaxRegions" legend={t('editor.taxRegions')} options={TAX_REGIONS.map((r) => ({ value: r, label: r }))} />
    </fieldset>
  );
}

function ActionList({ types, secrets }: { types: TaskType[]; secrets: Record<string, string> }) {
  const { t } = useTranslation('rules');
  const { draft, set } = useDraft();
  const [adding, setAdding] = useState<string>('send_email');
  const statusOptions = useStatusOptions(types);
  const actions = (draft.actions as Json[] | undefined) ?? [];
  const move = (i: number, by: number) => {
    const next = [...actions];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    set('actions', next);
  };
  return (
    <fieldset>
      <legend>{t('editor.actions')}</legend>
      {actions.map((a, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: an action is its place in the rule's list (the API's `actions.N` paths); inputs bind by index
        <fieldset key={i} className="action">
          <legend>{t('editor.actionN', { n: i + 1, type: t(`actions.${String(a.type)}`) })}</legend>
          <ActionFields index={i} types={types} statusOptions={statusOptions} secret={typeof a.id === 'string' ? secrets[a.id] : undefined} />
          <div className="form-actions">
            <button type="button" disabled={i === 0} onClick={() => move(i, -1)}>
              {t('editor.up')}
            </button>
            <button type="button" disabled={i === actions.length - 1} onClick={() => move(i, 1)}>
              {t('editor.down')}
            </button>
            <button
              type="button"
              className="danger"
              onClick={() =>
                set(
                  'actions',
                  actions.filter((_, j) => j !== i),
                )
              }
            >
              {t('editor.remove')}
            </button>
          </div>
        </fieldset>
      ))}
      <div className="form-actions">
        <label htmlFor="add-action-type">{t('editor.actionType')}</label>
        <select id="add-action-type" value={adding} onChange={(e) => setAdding(e.target.value)} style={{ width: 'auto' }}>
          {ACTION_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`actions.${type}`)}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => set('actions', [...actions, newAction(adding, types)])}>
          {t('editor.addAction')}
        </button>
      </div>
    </fieldset>
  );
}
