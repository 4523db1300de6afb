import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Client } from '../api/types.ts';
import { ConflictNotice, ErrorBanner } from '../ui/Alerts.tsx';
import { Field } from '../ui/Field.tsx';
import { fieldError, isPlacedAt } from '../ui/errors.ts';

export const TAX_REGIONS = ['QC', 'ON', 'NB', 'NS', 'PE', 'NL', 'MB', 'SK', 'AB', 'BC', 'YT', 'NT', 'NU', 'exempt'] as const;

export interface ClientValues {
  name: string;
  taxRegion: Client['taxRegion'];
  language: Client['language'];
  emails: string;
  terms: string;
  phone: string;
  notes: string;
}

export const clientValuesOf = (c?: Client): ClientValues => ({
  name: c?.name ?? '',
  taxRegion: c?.taxRegion ?? 'QC',
  language: c?.language ?? 'fr',
  emails: (c?.billingEmails ?? []).join('\n'),
  terms: c?.paymentTermsDays == null ? '' : String(c.paymentTermsDays),
  phone: c?.phone ?? '',
  notes: c?.notes ?? '',
});

/** The API body; "30" → 30, empty → null (the organization's default). */
export function clientBody(v: ClientValues, editing: boolean) {
  const terms = v.terms.trim();
  return {
    name: v.name,
    taxRegion: v.taxRegion,
    language: v.language,
    billingEmails: v.emails
      .split(/[\s,;]+/)
      .map((e) => e.trim())
      .filter(Boolean),
    paymentTermsDays: terms === '' ? null : /^\d+$/.test(terms) ? Number(terms) : (terms as unknown as number),
    phone: v.phone.trim() ? v.phone.trim() : editing ? null : undefined,
    notes: v.notes.trim() ? v.notes : editing ? null : undefined,
  };
}

export function ClientForm({
  values,
  onChange,
  onSubmit,
  error,
  pending,
  submitLabel,
  onCancel,
  onReload,
}: {
  values: ClientValues;
  onChange: (v: ClientValues) => void;
  onSubmit: () => void;
  error: unknown;
  pending: boolean;
  submitLabel: string;
  onCancel?: () => void;
  onReload?: () => void;
}) {
  const { t } = useTranslation('clients');
  const set = <K extends keyof ClientValues>(k: K, v: ClientValues[K]) => onChange({ ...values, [k]: v });
  const fe = (...n: string[]) => fieldError(error, t, ...n);
  // A bad address in the list is reported at its index (billingEmails.1): show it at the field.
  const emailsError = fe('billingEmails', ...Array.from({ length: 20 }, (_, i) => `billingEmails.${i}`));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <form onSubmit={submit} noValidate>
      {onReload && <ConflictNotice error={error} onReload={onReload} />}
      <div className="form-grid">
        <Field label={t('form.name')} error={fe('name')}>
          <input required value={values.name} onChange={(e) => set('name', e.target.value)} />
        </Field>
        <Field label={t('form.taxRegion')} error={fe('taxRegion')}>
          <select value={values.taxRegion} onChange={(e) => set('taxRegion', e.target.value as ClientValues['taxRegion'])}>
            {TAX_REGIONS.map((r) => (
              <option key={r} value={r}>
                {r === 'exempt' ? t('form.exempt') : r}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('form.language')} error={fe('language')}>
          <select value={values.language} onChange={(e) => set('language', e.target.value as ClientValues['language'])}>
            <option value="fr">{t('form.fr')}</option>
            <option value="en">{t('form.en')}</option>
          </select>
        </Field>
        <Field label={t('form.terms')} hint={t('form.termsHint')} error={fe('paymentTermsDays')}>
          <input inputMode="numeric" value={values.terms} onChange={(e) => set('terms', e.target.value)} />
        </Field>
        <Field label={t('form.phone')} error={fe('phone')}>
          <input type="tel" value={values.phone} onChange={(e) => set('phone', e.target.value)} />
        </Field>
      </div>
      <Field label={t('form.emails')} hint={t('form.emailsHint')} error={emailsError}>
        <textarea rows={2} value={values.emails} onChange={(e) => set('emails', e.target.value)} />
      </Field>
      <Field label={t('form.notes')} error={fe('notes')}>
        <textarea rows={2} value={values.notes} onChange={(e) => set('notes', e.target.value)} />
      </Field>
      {!isPlacedAt(
        error,
        'name',
        'taxRegion',
        'language',
        'paymentTermsDays',
        'phone',
        'notes',
        'billingEmails',
        ...Array.from({ length: 20 }, (_, i) => `billingEmails.${i}`),
      ) &&
        !(error as { isConflict?: boolean } | null)?.isConflict && <ErrorBanner error={error} />}
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
