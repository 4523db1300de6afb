import { useTranslation } from 'react-i18next';
import type { InvoiceView } from '../api/types.ts';
import { useFormat } from '../i18n/format.ts';

/** Subtotal, each tax (TPS, TVQ…) and the total, as the server computed them for the whole task. */
export function Totals({ totals, currency }: { totals: NonNullable<InvoiceView['totals']>; currency: string }) {
  const { t } = useTranslation('tasks');
  const f = useFormat();
  return (
    <table className="totals" aria-label={t('totals.total')}>
      <tbody>
        <tr>
          <th scope="row">{t('totals.subtotal')}</th>
          <td className="num">{f.money(totals.subtotalCents, currency)}</td>
        </tr>
        {totals.taxes.map((tax) => (
          <tr key={`${tax.tax}-${tax.region}`}>
            <th scope="row">
              {t(`totals.${tax.tax}`)} <span className="muted">({f.percent(tax.ratePercent)})</span>
            </th>
            <td className="num">{f.money(tax.amountCents, currency)}</td>
          </tr>
        ))}
        <tr className="total">
          <th scope="row">{t('totals.total')}</th>
          <td className="num">{f.money(totals.totalCents, currency)}</td>
        </tr>
      </tbody>
    </table>
  );
}
