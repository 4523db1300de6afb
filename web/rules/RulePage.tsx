import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ErrorBanner, Loading } from '../ui/Alerts.tsx';
import { useDeleteRule, useRule } from './queries.ts';
import { RuleEditor } from './RuleEditor.tsx';
import { EnabledSwitch } from './RuleListPage.tsx';
import { RunLog } from './RunLog.tsx';
import { SchedulePanel } from './SchedulePanel.tsx';

/** /rules/new and /rules/:id: the editor; for a saved rule also its switch, schedule and run log. */
export function RulePage() {
  const { t } = useTranslation('rules');
  const { id = '' } = useParams();
  const isNew = id === 'new';
  const rule = useRule(isNew ? '' : id);
  const remove = useDeleteRule();
  // A webhook secret generated when the rule was created is shown once, on the page it lands on.
  const navigate = useNavigate();
  const location = useLocation();
  const [shownSecrets] = useState(() => (location.state as { secrets?: Record<string, string> } | null)?.secrets);
  // Shown once: forget it in the browser's history too, so that a reload does not show it again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, on the page the secret lands on
  useEffect(() => {
    if (shownSecrets) navigate(location.pathname, { replace: true, state: null });
  }, []);
  if (!isNew && rule.isPending) return <Loading />;
  if (!isNew && rule.error) return <ErrorBanner error={rule.error} />;
  const r = isNew ? null : rule.data!;
  return (
    <>
      <p>
        <Link to="/rules">← {t('back')}</Link>
      </p>
      <div className="page-head">
        <h1>{r ? r.name : t('newRule')}</h1>
        {r && <EnabledSwitch rule={r} />}
        <span className="spacer" />
        {r && (
          <button
            type="button"
            className="danger"
            onClick={() => window.confirm(t('editor.confirmDelete', { name: r.name })) && remove.mutate(r.id, { onSuccess: () => navigate('/rules') })}
          >
            {t('editor.delete')}
          </button>
        )}
      </div>
      <ErrorBanner error={remove.error} />
      {r && r.trigger.type === 'schedule' && <SchedulePanel rule={r} />}
      <section className="card">
        <RuleEditor
          key={r?.id ?? 'new'}
          rule={r}
          shownSecrets={shownSecrets}
          reload={async () => (await rule.refetch()).data}
          onSaved={(saved) => {
            if (isNew) navigate(`/rules/${saved.id}`, { replace: true, state: { secrets: saved.secrets } });
          }}
        />
      </section>
      {r && <RunLog ruleId={r.id} title={t('runLog')} />}
    </>
  );
}
