import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMilli, formatMoney, formatQuantity, parseUserQuantity } from '../lib/money';
import { useApp } from '../shell/context';
import { isWhole, type CartLine as Line } from './cart';
import type { LineView } from './cart';

interface Props {
  view: LineView;
  highlighted: boolean;
  onQuantity: (quantityMilli: bigint) => void;
  onDiscount: () => void;
  onRemove: () => void;
  onDone: () => void;
}

function quantityText(line: Line, locale: string): string {
  return formatQuantity(line.quantityMilli, locale);
}

/** One line of the sale: name, quantity (editable), discount, amount, remove. Keyed by its
 * quantity, so a change from elsewhere (a repeat scan) starts a fresh draft. */
export function CartLine({ view, highlighted, onQuantity, onDiscount, onRemove, onDone }: Props) {
  const { t } = useTranslation();
  const app = useApp();
  const { line, amounts } = view;
  const [draft, setDraft] = useState(() => quantityText(line, app.locale));
  const [error, setError] = useState<string | null>(null);

  function commit(): boolean {
    const parsed = parseUserQuantity(draft, isWhole(line.product.unit));
    if (!parsed.ok) {
      setError(
        parsed.error === 'whole'
          ? t('sale.quantityWhole', { name: line.product.name })
          : parsed.error === 'decimals'
            ? t('sale.quantityDecimals')
            : t('sale.quantityInvalid'),
      );
      return false;
    }
    setError(null);
    if (parsed.value !== line.quantityMilli) onQuantity(parsed.value);
    return true;
  }

  const unitLabel = line.product.unit === 'UNIT' ? '' : ` ${line.product.unit.toLowerCase()}`;
  const errorId = `qty-error-${line.product.id}`;
  const money = (minor: bigint) => formatMoney(minor, app.currency, app.locale);

  return (
    <tr className={`cart-line ${highlighted ? 'cart-line--new' : ''}`}>
      <td className="cart-line__product">
        <span className="cart-line__name">{line.product.name}</span>
        <span className="cart-line__meta">
          {quantityText(line, app.locale)}
          {unitLabel} × {money(line.product.priceMinor)}
          {amounts && amounts.discount > 0n && (
            <span className="cart-line__discount">
              {' '}
              · −{money(amounts.discount)}
              {line.discount.kind === 'percent' ? ` (${formatMilli(line.discount.milli)} %)` : ''}
            </span>
          )}
        </span>
        {error && (
          <span id={errorId} className="field-error" role="alert">
            {error}
          </span>
        )}
      </td>
      <td className="cart-line__qty">
        <input
          type="text"
          inputMode={isWhole(line.product.unit) ? 'numeric' : 'decimal'}
          aria-label={`${t('sale.quantity')} ${line.product.name}`}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onFocus={(e) => e.target.select()}
          onBlur={() => {
            if (!commit()) setDraft(quantityText(line, app.locale));
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              if (commit()) onDone();
            } else if (e.key === 'Escape') {
              e.preventDefault();
              setDraft(quantityText(line, app.locale));
              setError(null);
              onDone();
            }
          }}
        />
      </td>
      <td className="cart-line__total">{amounts ? money(amounts.total) : '—'}</td>
      <td className="cart-line__actions">
        <button
          type="button"
          className={`icon-button ${line.discount.kind !== 'none' ? 'icon-button--on' : ''}`}
          aria-label={t('sale.discountFor', { name: line.product.name })}
          onClick={onDiscount}
        >
          <span aria-hidden="true">%</span>
        </button>
        <button type="button" className="icon-button icon-button--danger" aria-label={t('sale.remove', { name: line.product.name })} onClick={onRemove}>
          <span aria-hidden="true">✕</span>
        </button>
      </td>
    </tr>
  );
}
