import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Line } from '../api/types.ts';
import { useFormat } from '../i18n/format.ts';
import { ConflictNotice, ErrorBanner } from '../ui/Alerts.tsx';
import { Field } from '../ui/Field.tsx';
import { fieldError, isPlacedAt } from '../ui/errors.ts';
import { centsToInput, liveAmountCents, normalizeDecimal, priceCents } from './line-amount.ts';

export interface LineValues {
  description: string;
  quantity: string;
  price: string;
  taxTreatment: 'taxable' | 'exempt';
}

export const emptyLine: LineValues = { description: '', quantity: '1', price: '', taxTreatment: 'taxable' };

export const lineValuesOf = (l: Line, lng: string): LineValues => ({
  description: l.description,
  quantity: lng.startsWith('en') ? l.quantity : l.quantity.replace('.', ','),
  price: centsToInput(l.unitPriceCents, lng),
  taxTreatment: l.taxTreatment,
});

/** The API body; an unparsable price is sent as-is so that the server names the field. */
export function lineBody(v: LineValues) {
  return {
    description: v.description,
    quantity: normalizeDecimal(v.quantity),
    unitPriceCents: priceCents(v.price) ?? (Number.NaN as number),
    taxTreatment: v.taxTreatment,
  };
}

/** Description, quantity, unit price, taxes, and the amount as the server will compute it. */
export function LineForm({
  initial,
  submitLabel,
  onSubmit,
  pending,
  error,
  onCancel,
  onReload,
  resetOnSuccess,
}: {
  initial: LineValues;
  submitLabel: string;
  onSubmit: (v: LineValues, done: () => void) => void;
  pending: boolean;
  error: unknown;
  onCancel?: () => void;
  onReload?: () => void;
  resetOnSuccess?: boolean;
}) {
  const { t } = useTranslation('tasks');
  const f = useFormat();
  const [v, setV] = useState(initial);
  const [priceError, setPriceError] = useState<string | undefined>();
  const amount = liveAmountCents(v.quantity, v.price);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (priceCents(v.price) === null) {
      setPriceError(t('lines.priceInvalid'));
      return;
    }
    setPriceError(undefined);
    onSubmit(v, () => resetOnSuccess && setV(emptyLine));
  };
  const fe = (...n: string[]) => fieldError(error, t, ...n);
  return (
    <form onSubmit={submit} noValidate>
      {onReload && <ConflictNotice error={error} onReload={onReload} />}
      <div className="line-form">
        <Field label={t('lines.description')} error={fe('description')}>
          <input required value={v.description} onChange={(e) => setV({ ...v, description: e.target.value })} />
        </Field>
        <Field label={t('lines.quantity')} error={fe('quantity')}>
          <input inputMode="decimal" required value={v.quantity} onChange={(e) => setV({ ...v, quantity: e.target.value })} />
        </Field>
        <Field label={t('lines.unitPrice')} error={priceError ?? fe('unitPriceCents')}>
          <input inputMode="decimal" required value={v.price} onChange={(e) => setV({ ...v, price: e.target.value })} />
        </Field>
        <Field label={t('lines.taxes')} error={fe('taxTreatment')}>
          <select value={v.taxTreatment} onChange={(e) => setV({ ...v, taxTreatment: e.target.value as LineValues['taxTreatment'] })}>
            <option value="taxable">{t('lines.taxable')}</option>
            <option value="exempt">{t('lines.exempt')}</option>
          </select>
        </Field>
        <output className="line-amount" aria-live="polite">
          {amount === null ? '' : t('lines.liveAmount', { amount: f.money(amount) })}
        </output>
      </div>
      {!isPlacedAt(error, 'description', 'quantity', 'unitPriceCents', 'taxTreatment') && !(error as { isConflict?: boolean } | null)?.isConflict && (
        <ErrorBanner error={error} />
      )}
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
