import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, errorOf } from '../lib/errors';
import { formatAmount, formatMoney, parseUserAmount } from '../lib/money';
import { Dialog } from '../shell/Dialog';
import { useApp } from '../shell/context';
import { RecordCashMovementDocument } from './operations';

export function CashMovementDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const app = useApp();
  const [kind, setKind] = useState<'PAY_IN' | 'PAY_OUT'>('PAY_IN');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function submit(event: SyntheticEvent) {
    event.preventDefault();
    const parsed = parseUserAmount(amount, app.currency);
    if (!parsed.ok || parsed.value === 0n) return setError(t('tender.amountInvalid'));
    if (!app.register) return;
    const r = await app.client
      .mutation(RecordCashMovementDocument, {
        input: { registerSessionId: app.register.sessionId, kind, amount: formatAmount(parsed.value, app.currency), reason: reason.trim() },
      })
      .toPromise();
    if (r.data) {
      app.notify({ kind: 'success', text: t('cash.saved', { kind: kind === 'PAY_IN' ? t('cash.payIn') : t('cash.payOut'), amount: formatMoney(parsed.value, app.currency, app.locale) }) });
      onClose();
    } else if (r.error) setError(describeError(t, errorOf(r.error)));
  }

  return (
    <Dialog title={t('cash.title')} onClose={onClose}>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <fieldset className="segmented">
          <legend className="visually-hidden">{t('cash.kind')}</legend>
          <label>
            <input type="radio" name="cash-kind" checked={kind === 'PAY_IN'} onChange={() => setKind('PAY_IN')} />
            <span>{t('cash.payIn')}</span>
          </label>
          <label>
            <input type="radio" name="cash-kind" checked={kind === 'PAY_OUT'} onChange={() => setKind('PAY_OUT')} />
            <span>{t('cash.payOut')}</span>
          </label>
        </fieldset>
        <label className="field">
          <span>{t('cash.amount')}</span>
          <input autoFocus inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('cash.reason')}</span>
          <input value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={!amount.trim() || !reason.trim()}>
          {t('cash.save')}
        </button>
      </form>
    </Dialog>
  );
}
