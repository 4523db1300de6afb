import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney, formatQuantity } from '../i18n/format.ts';
import { ErrorBanner } from '../ui/Alerts.tsx';
import { fieldError, isPlacedAt } from '../ui/errors.ts';
import { Field } from '../ui/Field.tsx';
import { parseDollarsToCents, type Line } from './api.ts';
import { DismissedWrite } from './pending-writes.ts';
import { useTaskLines, useTrackedWrite } from './queries.ts';

/** The task's lines and "Ajouter une ligne" (Description, Quantité, Prix unitaire). */
export function LinesSection({ taskId, canEdit }: { taskId: string; canEdit: boolean }) {
  const { t, i18n } = useTranslation('tech');
  const lines = useTaskLines(taskId);
  const items: Line[] = lines.data?.pages.flatMap((p) => p.items) ?? [];
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

/** The form keeps what was typed until the server has the line; its refusal shows at the field. */
function AddLineForm({ taskId }: { taskId: string }) {
  const { t } = useTranslation('tech');
  const write = useTrackedWrite();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState(EMPTY);
  const [error, setError] = useState<unknown>(null);
  const [badPrice, setBadPrice] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const cents = parseDollarsToCents(form.unitPrice);
    setBadPrice(cents === null);
    setError(null);
    if (cents === null) return;
    setBusy(true);
    try {
      const body = { description: form.description, quantity: form.quantity.trim().replace(',', '.'), unitPriceCents: cents };
      await write(t('lines.pendingLabel', { description: form.description }), 'POST', `/api/v1/tasks/${taskId}/lines`, body);
      setForm(EMPTY);
      setOpen(false);
    } catch (err) {
      if (!(err instanceof DismissedWrite)) setError(err);
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
  const set = (name: keyof typeof EMPTY) => (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value });
  return (
    <form className="tech-form" onSubmit={(e) => void submit(e)} aria-label={t('lines.add')}>
      <Field label={t('lines.description')} error={fieldError(error, t, 'description')}>
        <input value={form.description} onChange={set('description')} required autoComplete="off" />
      </Field>
      <Field label={t('lines.quantity')} error={fieldError(error, t, 'quantity')}>
        <input value={form.quantity} onChange={set('quantity')} inputMode="decimal" required />
      </Field>
      <Field label={t('lines.unitPrice')} hint={t('lines.unitPriceHint')} error={badPrice ? t('lines.badPrice') : fieldError(error, t, 'unitPriceCents')}>
        <input value={form.unitPrice} onChange={set('unitPrice')} inputMode="decimal" required />
      </Field>
      {!isPlacedAt(error, 'description', 'quantity', 'unitPriceCents') && <ErrorBanner error={error} />}
      <button type="submit" className="tech-button tech-button-big" disabled={busy}>
        {t('lines.submit')}
      </button>
    </form>
  );
}
