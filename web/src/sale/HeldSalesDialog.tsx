import { useTranslation } from 'react-i18next';
import { formatMoney } from '../lib/money';
import { Dialog } from '../shell/Dialog';
import { useApp } from '../shell/context';
import { cartView } from './cart';
import type { HeldSale } from './held';

export function HeldSalesDialog({ held, onRecall, onClose }: { held: HeldSale[]; onRecall: (sale: HeldSale) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const app = useApp();
  const time = (iso: string) => new Intl.DateTimeFormat(app.locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
  return (
    <Dialog title={t('sale.heldSales')} onClose={onClose}>
      {held.length === 0 ? (
        <p className="muted">{t('sale.noHeld')}</p>
      ) : (
        <ul className="plain-list">
          {held.map((h) => {
            const view = cartView(h.cart, app.location?.pricesIncludeTax ?? true);
            const total = formatMoney(view.totals.total, app.currency, app.locale);
            return (
              <li key={h.id}>
                <button type="button" className="button button--block list-button" onClick={() => onRecall(h)}>
                  <span>{t('sale.recallSale', { total })}</span>
                  <small className="muted">
                    {h.cart.lines.map((l) => l.product.name).join(', ').slice(0, 60)} · {t('sale.heldAt', { time: time(h.heldAt) })}
                  </small>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </Dialog>
  );
}
