import { useTranslation } from 'react-i18next';
import { useApp } from '../shell/context';
import type { CartView } from './cart';
import { CartLine } from './CartLine';

interface Props {
  view: CartView;
  lastAdded: string | null;
  onQuantity: (productId: string, quantityMilli: bigint) => void;
  onDiscount: (productId: string) => void;
  onRemove: (productId: string) => void;
  onDone: () => void;
}

export function CartTable({ view, lastAdded, onQuantity, onDiscount, onRemove, onDone }: Props) {
  const { t } = useTranslation();
  const { locale } = useApp();
  if (view.lines.length === 0) {
    return (
      <div className="cart cart--empty">
        <div className="empty-state">
          <span className="empty-state__icon" aria-hidden="true">
            ▥
          </span>
          <p>{t('sale.empty')}</p>
        </div>
      </div>
    );
  }
  return (
    <div className="cart">
      <table className="cart-table" aria-label={t('sale.cart')}>
        <thead>
          <tr>
            <th scope="col">{t('sale.product')}</th>
            <th scope="col" className="num">
              {t('sale.quantity')}
            </th>
            <th scope="col" className="num">
              {t('sale.lineTotal')}
            </th>
            <th scope="col">
              <span className="visually-hidden">{t('sale.discount')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {view.lines.map((lineView) => (
            <CartLine
              key={`${lineView.line.product.id}:${lineView.line.quantityMilli}:${locale}`}
              view={lineView}
              highlighted={lastAdded === lineView.line.product.id}
              onQuantity={(q) => onQuantity(lineView.line.product.id, q)}
              onDiscount={() => onDiscount(lineView.line.product.id)}
              onRemove={() => onRemove(lineView.line.product.id)}
              onDone={onDone}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
