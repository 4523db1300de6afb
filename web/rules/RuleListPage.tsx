import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Automation } from '../api/types.ts';
import { useFormat } from '../i18n/format.ts';
import { useTaskTypes } from '../tasks/queries.ts';
import { ErrorBanner, Loading } from '../ui/Alerts.tsx';
import { describeTrigger } from './describe.ts';
import { useRules, useRuns, useToggleRule } from './queries.ts';
import { RunLog } from './RunLog.tsx';

const BUILT_IN = [
  { key: 'consolidate_by_project', label: 'consolidate', text: 'consolidateExplained' },
  { key: 'progressive_billing', label: 'progressive', text: 'progressiveExplained' },
] as const;

/** /rules: the two built-in consolidation rules in words, every rule with its switch and last run, the run log. */
export function RuleListPage() {
  const { t, i18n } = useTranslation('rules');
  const rules = useRules();
  const types = useTaskTypes();
  if (rules.isPending) return <Loading />;
  const items = rules.data?.items ?? [];
  return (
    <>
      <div className="page-head">
        <h1>{t('title')}</h1>
        <span className="spacer" />
        <Link className="button primary" to="/rules/new">
          {t('newRule')}
        </Link>
      </div>
      <ErrorBanner error={rules.error} />
      <section className="card" aria-labelledby="built-in-title">
        <h2 id="built-in-title">{t('builtIn')}</h2>
        <p>{t('builtInIntro')}</p>
        {BUILT_IN.map((b) => {
          const rule = items.find((r) => r.key === b.key);
          return rule ? <RuleSwitch key={b.key} rule={rule} label={t(b.label)} explained={t(b.text)} /> : null;
        })}
      </section>
      <section className="card" aria-labelledby="all-rules-title">
        <h2 id="all-rules-title">{t('allRules')}</h2>
        <section className="table-wrap" tabIndex={0} aria-label={t('allRules')}>
          <table>
            <thead>
              <tr>
                <th>{t('enabled')}</th>
                <th>{t('name')}</th>
                <th>{t('trigger')}</th>
                <th>{t('lastRun')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id}>
                  <td>
                    <EnabledSwitch rule={r} />
                  </td>
                  <td>
                    <Link to={`/rules/${r.id}`}>{r.name}</Link>
                  </td>
                  <td>{describeTrigger(r, types.data?.items ?? [], t, i18n.language)}</td>
                  <td>
                    <LastRun ruleId={r.id} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </section>
      <RunLog ruleId="" title={t('runLogAll')} />
    </>
  );
}

function LastRun({ ruleId }: { ruleId: string }) {
  const { t } = useTranslation('rules');
  const f = useFormat();
  const runs = useRuns(ruleId, 1);
  const last = runs.data?.items[0];
  if (!last) return <span className="muted">{runs.isPending ? '…' : t('never')}</span>;
  return (
    <span>
      {f.dateTime(last.at)} <span className={last.outcome === 'succeeded' ? 'badge badge-done' : 'badge badge-cancelled'}>{t(`run.${last.outcome}`)}</span>
    </span>
  );
}

/** One switch per rule; its label names the rule for screen readers. */
export function EnabledSwitch({ rule, label }: { rule: Automation; label?: string }) {
  const { t } = useTranslation('rules');
  // What the person just chose shows at once (see the settings page's RuleSwitch), until the rule is read back.
  const [chosen, setChosen] = useState<boolean | null>(null);
  const toggle = useToggleRule();
  const checked = chosen ?? rule.enabled;
  return (
    <>
      <input
        type="checkbox"
        // biome-ignore lint/a11y/useAriaPropsForRole: a native checkbox carries its checked state; role="switch" only names it
        role="switch"
        aria-label={label ?? t('switchLabel', { name: rule.name })}
        checked={checked}
        disabled={chosen !== null}
        onChange={(e) => {
          setChosen(e.target.checked);
          toggle.mutate({ id: rule.id, on: e.target.checked }, { onSettled: () => setChosen(null) });
        }}
      />
      <ErrorBanner error={toggle.error} />
    </>
  );
}

function RuleSwitch({ rule, label, explained }: { rule: Automation; label: string; explained: string }) {
  const { t } = useTranslation('rules');
  const id = useId();
  return (
    <div className="switch-row">
      <EnabledSwitch rule={rule} label={label} />
      <div>
        <strong id={id}>{label}</strong> <span className={rule.enabled ? 'badge badge-done' : 'badge badge-open'}>{rule.enabled ? t('on') : t('off')}</span>
        <p className="muted" style={{ margin: '0.2rem 0 0' }}>
          {explained}
        </p>
      </div>
    </div>
  );
}
