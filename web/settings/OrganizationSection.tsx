import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Organization } from '../api/types.ts';
import { ConflictNotice, ErrorBanner } from '../ui/Alerts.tsx';
import { CheckInput, DraftProvider, isFieldError, SelectInput, setIn, TextInput, type Json } from '../ui/draft.tsx';
import { useSaveOrganization, type Readiness } from './queries.ts';

const TIME_ZONES = [
  'America/Toronto',
  'America/Montreal',
  'America/Halifax',
  'America/Moncton',
  'America/St_Johns',
  'America/Winnipeg',
  'America/Regina',
  'America/Edmonton',
  'America/Vancouver',
  'America/Whitehorse',
];

const draftOf = (o: Organization): Json => ({
  name: o.name,
  locale: o.locale,
  timeZone: o.timeZone,
  address: o.address ?? undefined,
  gstNumber: o.gstNumber ?? undefined,
  qstNumber: o.qstNumber ?? undefined,
  phone: o.phone ?? undefined,
  email: o.email ?? undefined,
  emailSenderName: o.emailSenderName ?? undefined,
  smallSupplier: o.smallSupplier || undefined,
  invoiceNumberPattern: o.invoiceNumberPattern,
  defaultPaymentTermsDays: o.defaultPaymentTermsDays,
});

/** The organization as invoices show it, and what is still missing before an invoice can be issued. */
export function OrganizationSection({ org }: { org: Organization & { invoicing?: Readiness } }) {
  const { t } = useTranslation('settings');
  const [draft, setDraft] = useState<Json>(() => draftOf(org));
  const save = useSaveOrganization();
  const set = (path: string, value: unknown) => setDraft((d) => setIn(d, path, value));
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    // Cleared fields are sent as null (for registration numbers, the API's "not registered").
    const body = {
      ...draft,
      gstNumber: draft.gstNumber ?? null,
      qstNumber: draft.qstNumber ?? null,
      phone: draft.phone ?? null,
      email: draft.email ?? null,
      emailSenderName: draft.emailSenderName ?? null,
      address: draft.address ?? null,
      smallSupplier: draft.smallSupplier === true,
    };
    save.mutate(body, { onSuccess: (o) => setDraft(draftOf(o)) });
  };
  const missing = org.invoicing?.missing ?? [];
  const zones = TIME_ZONES.includes(org.timeZone) ? TIME_ZONES : [org.timeZone, ...TIME_ZONES];
  return (
    <section className="card" aria-labelledby="org-title">
      <h2 id="org-title">{t('organization')}</h2>
      {org.invoicing &&
        (org.invoicing.ready ? (
          <p className="banner banner-ok" role="status">
            {t('readiness.ready')}
          </p>
        ) : (
          <div className="banner banner-warning" role="status">
            <strong>{t('readiness.notReady')}</strong>
            <ul>
              {missing.map((m) => (
                <li key={m}>{t(`readiness.missing.${m}`, { defaultValue: m })}</li>
              ))}
            </ul>
            {(['GST', 'HST', 'QST'] as const).map((tax) => {
              const list = org.invoicing?.missingByTax?.[tax] ?? [];
              return list.length ? (
                <p key={tax} className="muted">
                  {t('readiness.byTax', { tax: t(`readiness.taxes.${tax}`), list: list.map((m) => t(`readiness.missing.${m}`)).join(', ') })}
                </p>
              ) : null;
            })}
          </div>
        ))}
      <DraftProvider value={{ draft, set, error: save.error }}>
        <form onSubmit={submit} noValidate>
          {save.error ? (
            isFieldError(save.error) ? (
              <p className="banner banner-error" role="alert">
                {t('seeFields')}
              </p>
            ) : (
              <ErrorBanner error={save.error} />
            )
          ) : null}
          <ConflictNotice error={save.error} onReload={() => undefined} />
          <div className="form-grid">
            <TextInput path="name" label={t('org.name')} />
            <SelectInput
              path="locale"
              label={t('org.locale')}
              options={[
                { value: 'fr-CA', label: 'Français' },
                { value: 'en-CA', label: 'English' },
              ]}
            />
            <SelectInput path="timeZone" label={t('org.timeZone')} options={zones.map((z) => ({ value: z, label: z }))} />
            <TextInput path="phone" label={t('org.phone')} type="tel" />
            <TextInput path="email" label={t('org.email')} type="email" hint={t('org.emailHint')} />
            <TextInput path="emailSenderName" label={t('org.emailSenderName')} hint={t('org.senderHint')} />
          </div>
          <fieldset>
            <legend>{t('org.address')}</legend>
            <div className="form-grid">
              <TextInput path="address.line1" label={t('org.line1')} />
              <TextInput path="address.line2" label={t('org.line2')} />
              <TextInput path="address.city" label={t('org.city')} />
              <TextInput path="address.region" label={t('org.region')} />
              <TextInput path="address.postalCode" label={t('org.postalCode')} />
            </div>
          </fieldset>
          <div className="form-grid">
            <TextInput path="gstNumber" label={t('org.gstNumber')} hint={t('org.gstHint')} />
            <TextInput path="qstNumber" label={t('org.qstNumber')} hint={t('org.qstHint')} />
            <TextInput path="invoiceNumberPattern" label={t('org.pattern')} hint={t('org.patternHint')} />
            <SelectInput
              path="defaultPaymentTermsDays"
              label={t('org.terms')}
              parse={Number}
              options={[0, 15, 30, 45, 60, 90].map((d) => ({ value: String(d), label: t('org.days', { count: d }) }))}
            />
          </div>
          <CheckInput path="smallSupplier" label={t('org.smallSupplier')} />
          <div className="form-actions">
            <button type="submit" className="primary" disabled={save.isPending}>
              {t('org.save')}
            </button>
            {save.isSuccess && (
              <span role="status" className="banner-ok">
                {t('org.saved')}
              </span>
            )}
          </div>
        </form>
      </DraftProvider>
    </section>
  );
}
