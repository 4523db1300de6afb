import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, mutate } from '../api/client.ts';
import type { Automation } from '../api/types.ts';
import { useMe } from '../auth/queries.ts';
import { registerMessages } from '../i18n/index.ts';
import { ErrorBanner, Loading } from '../ui/Alerts.tsx';
import { settingsMessages } from './messages.ts';
import { OrganizationSection } from './OrganizationSection.tsx';
import { useOrganizationSettings } from './queries.ts';

registerMessages('settings', settingsMessages);

/** The built-in rules an admin switches on or off (all rules, explained, are under /rules). */
const SWITCHES = [
  { key: 'consolidate_by_project', label: 'consolidate', hint: 'consolidateHint' },
  { key: 'progressive_billing', label: 'progressive', hint: 'progressiveHint' },
] as const;

function useAutomations(enabled: boolean) {
  return useQuery({ queryKey: ['automations'], queryFn: () => api<{ items: Automation[] }>('/api/v1/automations'), enabled });
}

export default function SettingsPage() {
  const { t } = useTranslation('settings');
  const me = useMe();
  const isAdmin = me.data?.role === 'admin';
  const rules = useAutomations(isAdmin);
  const org = useOrganizationSettings();
  if (!isAdmin) return <p>{t('adminOnly')}</p>;
  if (rules.isPending || org.isPending) return <Loading />;
  return (
    <>
      <h1>{t('title')}</h1>
      <ErrorBanner error={rules.error ?? org.error} />
      {org.data && <OrganizationSection key={org.data.id} org={org.data} />}
      <section className="card" aria-labelledby="billing-title">
        <h2 id="billing-title">{t('billing')}</h2>
        {SWITCHES.map((s) => (
          <RuleSwitch key={s.key} rule={rules.data?.items.find((r) => r.key === s.key)} label={t(s.label)} hint={t(s.hint)} />
        ))}
      </section>
    </>
  );
}

function RuleSwitch({ rule, label, hint }: { rule: Automation | undefined; label: string; hint: string }) {
  const { t } = useTranslation('settings');
  const id = useId();
  const qc = useQueryClient();
  // What the person just chose shows at once, in the same render as the click (a mutation's
  // pending state arrives a tick later, and a controlled checkbox snaps back meanwhile), until
  // the rule is read back.
  const [chosen, setChosen] = useState<boolean | null>(null);
  const toggle = useMutation({
    mutationFn: (on: boolean) => mutate<Automation>('POST', `/api/v1/automations/${rule!.id}/${on ? 'enable' : 'disable'}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['automations'] }),
    onSettled: () => setChosen(null),
  });
  const checked = chosen ?? !!rule?.enabled;
  return (
    <div className="switch-row">
      <input
        id={id}
        type="checkbox"
        // biome-ignore lint/a11y/useAriaPropsForRole: a native checkbox carries its checked state; role="switch" only names it
        role="switch"
        aria-describedby={`${id}-hint`}
        checked={checked}
        disabled={!rule || chosen !== null}
        onChange={(e) => {
          setChosen(e.target.checked);
          toggle.mutate(e.target.checked);
        }}
      />
      <div>
        <label htmlFor={id}>{label}</label> <span className={checked ? 'badge badge-done' : 'badge badge-open'}>{checked ? t('on') : t('off')}</span>
        <p id={`${id}-hint`} className="muted" style={{ margin: '0.2rem 0 0' }}>
          {rule ? hint : t('missing')}
        </p>
        <ErrorBanner error={toggle.error} />
      </div>
    </div>
  );
}
