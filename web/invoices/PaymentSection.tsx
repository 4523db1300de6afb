import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n/format.ts';
import { ErrorBanner } from '../ui/Alerts.tsx';
import { useMarkPayment, type Invoice } from './queries.ts';

const today = () => new Date().toLocaleDateString('en-CA'); // YYYY-MM-DD, local

/** Mark an invoice paid (on a date, today by default) or unpaid again. */
export function PaymentSection({ invoice }: { invoice: Invoice }) {
  const { t } = useTranslation('billing');
  const f = useFormat();
  const pay = useMarkPayment(invoice.id);
  const [day, setDay] = useState(today());
  if (invoice.kind === 'credit_note') return null;
  // Noon local time: the day the person picked, whatever the time zone.
  const paidAt = () => (day === today() ? undefined : new Date(`${day}T12:00:00`).toISOString());
  return (
    <section className="card" aria-labelledby="payment-title">
      <h2 id="payment-title">{t('invoice.payment')}</h2>
      {invoice.status === 'paid' && (
        <p>
          {t('invoice.paidAt')} {f.date(invoice.paidAt)}{' '}
          <button type="button" disabled={pay.isPending} onClick={() => pay.mutate({ status: 'unpaid' })}>
            {t('invoice.markUnpaid')}
          </button>
        </p>
      )}
      {invoice.status === 'unpaid' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            pay.mutate({ status: 'paid', paidAt: paidAt() });
          }}
        >
          <div className="field">
            <label htmlFor="paid-on">{t('invoice.paidOn')}</label>
            <input id="paid-on" type="date" value={day} max={today()} onChange={(e) => setDay(e.target.value)} required />
          </div>
          <button type="submit" className="primary" disabled={pay.isPending}>
            {t('invoice.markPaid')}
          </button>
        </form>
      )}
      {invoice.status === 'credited' && <p className="muted">{t('status.credited')}</p>}
      <ErrorBanner error={pay.error} />
    </section>
  );
}
