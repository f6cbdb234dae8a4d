import { useTranslation } from 'react-i18next';
import { formatMoney } from '../lib/money';
import { useApp } from '../shell/context';
import type { CartView } from './cart';

export function TotalsPanel({ view }: { view: CartView }) {
  const { t } = useTranslation();
  const app = useApp();
  const money = (minor: bigint) => formatMoney(minor, app.currency, app.locale);
  const total = money(view.totals.total);
  return (
    <section className="totals" aria-label={t('sale.total')}>
      <dl className="totals__rows">
        <div>
          <dt>{t('sale.subtotal')}</dt>
          <dd>{money(view.totals.subtotal)}</dd>
        </div>
        {view.totals.discount > 0n && (
          <div className="totals__discount">
            <dt>{t('sale.discounts')}</dt>
            <dd>−{money(view.totals.discount)}</dd>
          </div>
        )}
        <div>
          <dt>{t('sale.tax')}</dt>
          <dd>{money(view.totals.tax)}</dd>
        </div>
      </dl>
      <div className="totals__total" role="status" aria-label={`${t('sale.total')} ${total}`}>
        <span className="totals__label">{t('sale.total')}</span>
        <span className="totals__amount">{total}</span>
      </div>
      <p className="totals__items">{t('sale.items', { count: view.items })}</p>
    </section>
  );
}
