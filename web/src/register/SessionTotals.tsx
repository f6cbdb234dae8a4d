import { useTranslation } from 'react-i18next';
import { amountOf, formatMoney } from '../lib/money';
import { useApp } from '../shell/context';

export interface TotalsData {
  salesCount: number;
  grossSales: { amount: string };
  refundsTotal: { amount: string };
  taxTotal: { amount: string };
  byPaymentMethod: { method: string; amount: { amount: string } }[];
}

/** The session's totals: the X report while open, the Z report once closed. */
export function SessionTotals({ totals }: { totals: TotalsData }) {
  const { t } = useTranslation();
  const app = useApp();
  const money = (amount: string) => formatMoney(amountOf(amount, app.currency), app.currency, app.locale);
  return (
    <dl className="report">
      <div>
        <dt>{t('report.sales')}</dt>
        <dd>{totals.salesCount}</dd>
      </div>
      <div>
        <dt>{t('report.gross')}</dt>
        <dd>{money(totals.grossSales.amount)}</dd>
      </div>
      <div>
        <dt>{t('report.refunds')}</dt>
        <dd>{money(totals.refundsTotal.amount)}</dd>
      </div>
      <div>
        <dt>{t('report.tax')}</dt>
        <dd>{money(totals.taxTotal.amount)}</dd>
      </div>
      {totals.byPaymentMethod.map((m) => (
        <div key={m.method} className="report__method">
          <dt>{t(`tender.${m.method}`)}</dt>
          <dd>{money(m.amount.amount)}</dd>
        </div>
      ))}
    </dl>
  );
}
