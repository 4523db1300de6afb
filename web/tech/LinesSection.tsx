import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney, formatQuantity } from '../i18n/format.ts';
import { fieldErrorsOf, messageOf, parseDollarsToCents, type Line } from './api.ts';
import { techKeys, useTaskLines, useTrackedWrite } from './queries.ts';

/** The task's lines and "Ajouter une ligne" (Description, Quantité, Prix unitaire). */
export function LinesSection({ taskId, canEdit }: { taskId: string; canEdit: boolean }) {
  const { t, i18n } = useTranslation('tech');
  const lines = useTaskLines(taskId);
  const items: Line[] = lines.data ?? [];
  const total = items.reduce((s, l) => s + l.amountCents, 0);
  const money = (cents: number) => formatMoney(cents, i18n.language);
  return (
    <section className="tech-card" aria-labelledby="tech-lines-heading">
      <h2 id="tech-lines-heading">{t('lines.heading')}</h2>
      {items.length === 0 ? (
        <p className="tech-hint">{t('lines.empty')}</p>
      ) : (
        <ul className="tech-lines">
          {items.map((l) => (
            <li key={l.id}>
              <span className="tech-line-desc">{l.description}</span>
              <span className="tech-hint">
                {formatQuantity(l.quantity, i18n.language)} × {money(l.unitPriceCents)}
              </span>
              <span className="tech-line-amount">{money(l.amountCents)}</span>
            </li>
          ))}
          <li className="tech-lines-total">
            <span>{t('lines.total')}</span>
            <span className="tech-line-amount">{money(total)}</span>
          </li>
        </ul>
      )}
      {canEdit && <AddLineForm taskId={taskId} />}
    </section>
  );
}

const EMPTY = { description: '', quantity: '1', unitPrice: '' };

function AddLineForm({ taskId }: { taskId: string }) {
  const { t } = useTranslation('tech');
  const write = useTrackedWrite();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const cents = parseDollarsToCents(form.unitPrice);
    if (cents === null) {
      setErrors({ unitPriceCents: t('lines.badPrice') });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await write(t('lines.pendingLabel', { description: form.description }), 'POST', `/api/v1/tasks/${taskId}/lines`, { description: form.description, quantity: form.quantity.replace(',', '.'), unitPriceCents: cents }, [
        [...techKeys.lines(taskId)],
      ]);
      setForm(EMPTY);
      setOpen(false);
    } catch (err) {
      if ((err as Error).message === 'dismissed') return;
      const byField = fieldErrorsOf(err);
      setErrors(Object.keys(byField).length ? byField : { form: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };
  if (!open) {
    return (
      <button type="button" className="tech-button" onClick={() => setOpen(true)}>
        {t('lines.add')}
      </button>
    );
  }
  const field = (name: 'description' | 'quantity' | 'unitPrice', apiName: string, label: string, extra: Record<string, string> = {}) => {
    const id = `tech-line-${name}`;
    const error = errors[apiName];
    return (
      <div className="tech-field">
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          value={form[name]}
          onChange={(e) => setForm({ ...form, [name]: e.target.value })}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          {...extra}
        />
        {error && (
          <p id={`${id}-error`} className="tech-error">
            {error}
          </p>
        )}
      </div>
    );
  };
  return (
    <form className="tech-form" onSubmit={(e) => void submit(e)} aria-label={t('lines.add')}>
      {field('description', 'description', t('lines.description'), { required: 'true', autoComplete: 'off' })}
      {field('quantity', 'quantity', t('lines.quantity'), { inputMode: 'decimal', required: 'true' })}
      {field('unitPrice', 'unitPriceCents', t('lines.unitPrice'), { inputMode: 'decimal', required: 'true', placeholder: t('lines.unitPriceHint') })}
      {errors.form && (
        <p role="alert" className="tech-error">
          {errors.form}
        </p>
      )}
      <button type="submit" className="tech-button tech-button-big" disabled={busy}>
        {t('lines.submit')}
      </button>
    </form>
  );
}
