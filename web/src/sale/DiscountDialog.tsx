import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatAmount, formatMilli, parseUserAmount, parseUserPercent, type Discount } from '../lib/money';
import { Dialog } from '../shell/Dialog';
import { useApp } from '../shell/context';
import { discountFits, type CartLine } from './cart';

interface Props {
  line: CartLine;
  onApply: (discount: Discount) => void;
  onClose: () => void;
}

export function DiscountDialog({ line, onApply, onClose }: Props) {
  const { t } = useTranslation();
  const app = useApp();
  const [kind, setKind] = useState<'amount' | 'percent'>(line.discount.kind === 'amount' ? 'amount' : 'percent');
  const [value, setValue] = useState(() =>
    line.discount.kind === 'amount'
      ? formatAmount(line.discount.minor, app.currency)
      : line.discount.kind === 'percent'
        ? formatMilli(line.discount.milli)
        : '',
  );
  const [error, setError] = useState<string | null>(null);

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    let discount: Discount;
    if (kind === 'amount') {
      const parsed = parseUserAmount(value, app.currency);
      if (!parsed.ok) return setError(t('tender.amountInvalid'));
      discount = { kind: 'amount', minor: parsed.value };
    } else {
      const parsed = parseUserPercent(value);
      if (!parsed.ok) return setError(t('sale.discountTooLarge'));
      discount = { kind: 'percent', milli: parsed.value };
    }
    if (!discountFits(line, discount)) return setError(t('sale.discountTooLarge'));
    onApply(discount);
  }

  return (
    <Dialog title={t('sale.discountFor', { name: line.product.name })} onClose={onClose}>
      <form onSubmit={submit} className="stack" noValidate>
        <fieldset className="segmented">
          <legend className="visually-hidden">{t('sale.discount')}</legend>
          <label>
            <input type="radio" name="kind" checked={kind === 'percent'} onChange={() => setKind('percent')} />
            <span>{t('sale.discountPercent')} (%)</span>
          </label>
          <label>
            <input type="radio" name="kind" checked={kind === 'amount'} onChange={() => setKind('amount')} />
            <span>{t('sale.discountAmount')} ({app.currency.code})</span>
          </label>
        </fieldset>
        <label className="field">
          <span>{kind === 'amount' ? t('sale.discountAmount') : t('sale.discountPercent')}</span>
          <input autoFocus inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="row">
          <button type="button" className="button" onClick={() => onApply({ kind: 'none' })}>
            {t('sale.noDiscount')}
          </button>
          <button type="submit" className="button button--primary">
            {t('sale.applyDiscount')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
