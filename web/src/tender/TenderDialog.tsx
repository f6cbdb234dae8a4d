import { useRef, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, type AppError } from '../lib/errors';
import { formatAmount, formatMoney, parseUserAmount, type Minor, type PaymentMethod, type Tender } from '../lib/money';
import { completesOffline, type OutboxRecord, type SendOutcome } from '../outbox/outbox';
import type { Cart } from '../sale/cart';
import { Dialog } from '../shell/Dialog';
import { useApp } from '../shell/context';
import { buildRecord, completeSale } from './complete';
import { addPayment, canComplete, changeOf, METHODS, paid, quickCash, remainingDue, removePayment } from './tender';

export type SaleDone =
  | { kind: 'server'; number: string; receiptText: string; change: Minor }
  | { kind: 'provisional'; record: OutboxRecord; change: Minor };

interface Props {
  cart: Cart;
  total: Minor;
  onDone: (done: SaleDone) => void;
  onRejected: (outcome: Extract<SendOutcome, { kind: 'rejected' }>) => void;
  onClose: () => void;
}

const KEYS = ['7', '8', '9', '4', '5', '6', '1', '2', '3', '0', '00', ','];

export function TenderDialog({ cart, total, onDone, onRejected, onClose }: Props) {
  const { t } = useTranslation();
  const app = useApp();
  const [payments, setPayments] = useState<Tender[]>([]);
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<PaymentMethod>('CASH');
  const [message, setMessage] = useState<{ kind: 'info' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const amountRef = useRef<HTMLInputElement>(null);
  const money = (minor: Minor) => formatMoney(minor, app.currency, app.locale);
  const methodName = (m: PaymentMethod) => t(`tender.${m}`);

  /** Adds what the Amount field holds (or the remainder when empty) as a payment of `m`. */
  function add(m: PaymentMethod, current: Tender[], explicit?: Minor): Tender[] | null {
    let value: Minor;
    if (explicit !== undefined) value = explicit;
    else if (amount.trim() === '') value = remainingDue(total, current);
    else {
      const parsed = parseUserAmount(amount, app.currency);
      if (!parsed.ok) {
        setMessage({ kind: 'error', text: t('tender.amountInvalid') });
        return null;
      }
      value = parsed.value;
    }
    const result = addPayment(total, current, m, value);
    if (!result.ok) {
      setMessage({ kind: 'error', text: result.error === 'nothing-due' ? t('tender.nothingDue') : t('tender.amountInvalid') });
      return null;
    }
    const last = result.payments.at(-1);
    setMessage(result.capped && last ? { kind: 'info', text: t('tender.capped', { method: methodName(m), amount: money(last.amount) }) } : null);
    setPayments(result.payments);
    setAmount('');
    return result.payments;
  }

  function pressMethod(m: PaymentMethod) {
    setMethod(m);
    if (amount.trim() !== '') add(m, payments);
    amountRef.current?.focus();
  }

  async function complete(event?: SyntheticEvent) {
    event?.preventDefault();
    if (busy) return;
    let current = payments;
    const nothingPaid = current.length === 0;
    if (amount.trim() !== '' || (nothingPaid && remainingDue(total, current) > 0n)) {
      const next = add(method, current);
      if (!next) return;
      current = next;
    }
    if (!canComplete(total, current)) {
      setMessage({ kind: 'error', text: `${t('tender.remaining')}: ${money(remainingDue(total, current))}` });
      amountRef.current?.focus();
      return;
    }
    const username = app.session?.user.username;
    if (!app.register || !username) return;
    setBusy(true);
    const record = buildRecord({
      cart,
      payments: current,
      registerSessionId: app.register.sessionId,
      registerName: app.register.registerName,
      username,
      cashierName: app.session?.user.fullName ?? username,
      currency: app.currency,
      pricesIncludeTax: app.location?.pricesIncludeTax ?? true,
    });
    const outcome = await completeSale(app.outbox, record);
    setBusy(false);
    const change = changeOf(total, current);
    if (outcome.kind === 'accepted') {
      onDone({ kind: 'server', number: outcome.number, receiptText: outcome.receiptText, change });
    } else if (completesOffline(outcome)) {
      // No answer with the sale (the network, a session to renew, a transient server error):
      // the outbox keeps it and sends it later; the customer leaves with a provisional receipt.
      onDone({ kind: 'provisional', record, change });
    } else if (outcome.kind === 'rejected') {
      onRejected(outcome);
      setMessage({ kind: 'error', text: describeError(t, { code: outcome.code, field: null, extensions: outcome.extensions } satisfies AppError, { productName: (id) => cart.lines.find((l) => l.product.id === id)?.product.name ?? null }) });
    }
  }

  const due = remainingDue(total, payments);
  const change = changeOf(total, payments);
  const typed = parseUserAmount(amount, app.currency);
  const liveChange = typed.ok && method === 'CASH' && typed.value > due ? typed.value - due : change;

  return (
    <Dialog title={t('tender.title')} onClose={onClose} wide className="tender">
      <form className="tender__grid" onSubmit={(e) => void complete(e)} noValidate>
        <section className="tender__summary" aria-label={t('tender.payments')}>
          <div className="tender__due">
            <span>{t('tender.due')}</span>
            <strong>{money(total)}</strong>
          </div>
          <ul className="tender__payments">
            {payments.map((p, index) => (
              <li key={index}>
                <span>{methodName(p.method)}</span>
                <span className="num">{money(p.amount)}</span>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={t('tender.removePayment', { method: methodName(p.method), amount: money(p.amount) })}
                  onClick={() => setPayments(removePayment(payments, index))}
                >
                  <span aria-hidden="true">✕</span>
                </button>
              </li>
            ))}
          </ul>
          <dl className="tender__figures">
            <div>
              <dt>{t('tender.paid')}</dt>
              <dd>{money(paid(payments))}</dd>
            </div>
            <div className={due > 0n ? 'is-due' : ''}>
              <dt>{t('tender.remaining')}</dt>
              <dd>{money(due)}</dd>
            </div>
            <div className="tender__change">
              <dt>{t('tender.change')}</dt>
              <dd>{money(liveChange)}</dd>
            </div>
          </dl>
        </section>
        <section className="tender__entry">
          <div className="tender__methods" role="group" aria-label={t('tender.title')}>
            {METHODS.map((m) => (
              <button key={m} type="button" className={`tender-key tender-key--method ${method === m ? 'is-selected' : ''}`} aria-pressed={method === m} onClick={() => pressMethod(m)}>
                {methodName(m)}
              </button>
            ))}
          </div>
          <label className="field field--amount">
            <span>{t('tender.amount')}</span>
            <input
              ref={amountRef}
              autoFocus
              inputMode="decimal"
              placeholder={formatAmount(due, app.currency).replace('.', app.locale.startsWith('en') ? '.' : ',')}
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
            />
          </label>
          <div className="tender__pad">
            <div className="keypad" role="group" aria-label={t('tender.keypad')}>
              {KEYS.map((key) => (
                <button
                  key={key}
                  type="button"
                  className="tender-key"
                  onClick={() => {
                    setAmount((a) => a + key);
                    amountRef.current?.focus();
                  }}
                >
                  {key === ',' && app.locale.startsWith('en') ? '.' : key}
                </button>
              ))}
            </div>
            <div className="tender__quick" role="group" aria-label={t('tender.exact')}>
              {quickCash(due, app.currency.exponent).map((value, i) => (
                <button
                  key={`${i}-${value}`}
                  type="button"
                  className={`tender-key ${i === 0 ? 'tender-key--exact' : ''}`}
                  disabled={due === 0n}
                  onClick={() => {
                    setMethod('CASH');
                    add('CASH', payments, value);
                    amountRef.current?.focus();
                  }}
                >
                  {i === 0 ? `${t('tender.exact')} ${money(value)}` : money(value)}
                </button>
              ))}
              <button type="button" className="tender-key" aria-label={t('tender.clear')} onClick={() => setAmount('')}>
                C
              </button>
            </div>
          </div>
          {message && (
            <p className={message.kind === 'error' ? 'error' : 'notice'} role={message.kind === 'error' ? 'alert' : 'status'}>
              {message.text}
            </p>
          )}
          <div className="tender__actions">
            <button type="button" className="button button--large" onClick={onClose}>
              {t('tender.back')}
            </button>
            <button type="submit" className="button button--pay" disabled={busy}>
              {busy ? t('tender.completing') : t('tender.complete')}
            </button>
          </div>
        </section>
      </form>
    </Dialog>
  );
}
