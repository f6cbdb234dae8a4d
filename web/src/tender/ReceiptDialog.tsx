import { useTranslation } from 'react-i18next';
import { formatMoney, type Minor } from '../lib/money';
import { Dialog } from '../shell/Dialog';
import { useApp } from '../shell/context';

interface Props {
  text: string;
  title?: string;
  number: string | null;
  provisional: boolean;
  change: Minor | null;
  onNewSale?: () => void;
  onClose: () => void;
}

/** The receipt as the printer gets it: the server's receiptText in a <pre>, 80 mm print CSS. */
export function ReceiptDialog({ text, title, number, provisional, change, onNewSale, onClose }: Props) {
  const { t } = useTranslation();
  const app = useApp();
  return (
    <Dialog title={title ?? t('receipt.title')} onClose={onClose} className="receipt-dialog">
      <div className="receipt-layout">
        <div className="receipt-side">
          {change !== null && (
            <div className="change-banner">
              <span>{t('tender.change')}</span>
              <strong>{formatMoney(change, app.currency, app.locale)}</strong>
            </div>
          )}
          {number && (
            <p className="receipt-number">{provisional ? `${t('receipt.reference')} ${number}` : t('receipt.saleNumber', { number })}</p>
          )}
          {provisional && (
            <p className="notice" role="status">
              {t('receipt.provisional')}
            </p>
          )}
          <div className="receipt-actions">
            {onNewSale && (
              <button type="button" className="button button--primary button--large" data-autofocus onClick={onNewSale} aria-keyshortcuts="F10">
                {t('sale.newSale')} <kbd aria-hidden="true">F10</kbd>
              </button>
            )}
            <button type="button" className="button button--large" onClick={() => window.print()}>
              {t('receipt.print')}
            </button>
          </div>
        </div>
        <section className="print-area" aria-label={t('receipt.title')}>
          <pre className="receipt">{text}</pre>
        </section>
      </div>
    </Dialog>
  );
}
