import { useEffect, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, errorOf } from '../lib/errors';
import { amountOf, formatMilli, formatMoney, formatQuantity, milliOf, parseQuantity, parseUserQuantity, refundShare, type PaymentMethod } from '../lib/money';
import { Dialog } from '../shell/Dialog';
import { useApp } from '../shell/context';
import { METHODS } from '../tender/tender';
import { findSale, type FoundSale } from './findSale';
import { ManagerOverride } from './ManagerOverride';
import { RefundSaleDocument, VoidSaleDocument } from './operations';
import type { ManagerGrant } from './override';

const milli = (raw: string) => {
  const parsed = parseQuantity(raw, false);
  return parsed.ok ? parsed.value : 0n;
};

/** Refund (pick lines and quantities, restock or not) or void, authorised by a manager. */
export function RefundDialog({ mode, onClose }: { mode: 'refund' | 'void'; onClose: () => void }) {
  const { t } = useTranslation();
  const app = useApp();
  const [grant, setGrant] = useState<ManagerGrant | null>(null);
  const [number, setNumber] = useState('');
  const [sale, setSale] = useState<FoundSale | null>(null);
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [method, setMethod] = useState<PaymentMethod>('CASH');
  const [restock, setRestock] = useState(true);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [key] = useState(() => crypto.randomUUID());

  // The manager's session ends with the dialog, whatever happened in it.
  useEffect(() => () => void grant?.end(), [grant]);

  async function find(event: SyntheticEvent) {
    event.preventDefault();
    if (!grant) return;
    setError(null);
    const found = await findSale(grant.client, number);
    if (found.error) setError(describeError(t, found.error));
    else if (!found.sale) setError(t('refund.notFound', { number: number.trim() }));
    setSale(found.sale);
    setQuantities({});
  }

  const lines = sale?.lines ?? [];
  const cur = app.currency;
  const refundAmount = lines.reduce((sum, line) => {
    const q = parseUserQuantity(quantities[line.id] ?? '', false);
    if (!q.ok) return sum;
    // The server's share of each line; an estimate of the amount refunded before it answers.
    return sum + refundShare(amountOf(line.total.amount, cur), milli(line.quantity), 0n, milli(line.refundedQuantity), q.value);
  }, 0n);

  async function submit(event: SyntheticEvent) {
    event.preventDefault();
    if (!grant || !sale) return;
    setError(null);
    setBusy(true);
    if (mode === 'void') {
      const r = await grant.client.mutation(VoidSaleDocument, { id: sale.id, reason: reason.trim() }).toPromise();
      setBusy(false);
      if (r.data) {
        app.notify({ kind: 'success', text: t('refund.voided', { number: sale.number }) });
        onClose();
      } else if (r.error) setError(describeError(t, errorOf(r.error)));
      return;
    }
    const picked = lines.flatMap((line) => {
      const raw = quantities[line.id] ?? '';
      if (raw.trim() === '') return [];
      const q = parseUserQuantity(raw, false);
      return q.ok ? [{ saleLineId: line.id, quantity: formatMilli(q.value) }] : [];
    });
    if (picked.length === 0) {
      setBusy(false);
      return setError(t('refund.nothing'));
    }
    const r = await grant.client
      .mutation(RefundSaleDocument, {
        input: {
          idempotencyKey: key,
          saleId: sale.id,
          registerSessionId: app.register?.sessionId ?? null,
          lines: picked,
          method,
          restock,
          reason: reason.trim(),
        },
      })
      .toPromise();
    setBusy(false);
    const refund = r.data?.refundSale;
    if (refund) {
      app.notify({ kind: 'success', text: t('refund.done', { amount: formatMoney(amountOf(refund.amount.amount, cur), cur, app.locale) }) });
      onClose();
    } else if (r.error) setError(describeError(t, errorOf(r.error)));
  }

  const title = mode === 'void' ? t('refund.voidTitle') : t('refund.title');
  return (
    <Dialog title={title} onClose={onClose} wide={Boolean(sale)}>
      {!app.reachable && <p className="notice">{t('refund.offline')}</p>}
      {!grant ? (
        <ManagerOverride onGrant={setGrant} />
      ) : (
        <div className="stack">
          <p className="muted">{t('override.authorisedBy', { name: grant.name })}</p>
          <form className="row" onSubmit={(e) => void find(e)}>
            <label className="field field--grow">
              <span>{t('refund.saleNumber')}</span>
              <input autoFocus value={number} onChange={(e) => setNumber(e.target.value)} placeholder="MAIN-000001" />
            </label>
            <button type="submit" className="button" disabled={!number.trim()}>
              {t('refund.find')}
            </button>
          </form>
          {sale && (
            <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
              <p>
                <strong>{sale.number}</strong> · {formatMoney(amountOf(sale.total.amount, cur), cur, app.locale)} ·{' '}
                {t('refund.status', { status: t(`refund.statuses.${sale.status}`, { defaultValue: sale.status }) })}
              </p>
              <div className={mode === 'refund' ? 'refund-grid' : 'stack'}>
                {mode === 'refund' && (
                  <fieldset className="refund-lines">
                    <legend>{t('refund.lines')}</legend>
                    {lines.map((line) => (
                      <label key={line.id} className="refund-line">
                        <span>
                          {line.name}
                          <small className="muted">
                            {t('refund.sold', { quantity: formatQuantity(milliOf(line.quantity), app.locale), refunded: formatQuantity(milliOf(line.refundedQuantity), app.locale) })}
                          </small>
                        </span>
                        <input
                          inputMode="decimal"
                          aria-label={t('refund.refundQuantity', { name: line.name })}
                          value={quantities[line.id] ?? ''}
                          onChange={(e) => setQuantities({ ...quantities, [line.id]: e.target.value })}
                        />
                      </label>
                    ))}
                  </fieldset>
                )}
                <div className="stack">
                  {mode === 'refund' && (
                    <>
                      <label className="field">
                        <span>{t('refund.method')}</span>
                        <select value={method} onChange={(e) => setMethod(e.target.value as PaymentMethod)}>
                          {METHODS.map((m) => (
                            <option key={m} value={m}>
                              {t(`tender.${m}`)}
                            </option>
                          ))}
                        </select>
                      </label>
                      <label className="check">
                        <input type="checkbox" checked={restock} onChange={(e) => setRestock(e.target.checked)} />
                        <span>{t('refund.restock')}</span>
                      </label>
                    </>
                  )}
                  <label className="field">
                    <span>{t('refund.reason')}</span>
                    <input value={reason} onChange={(e) => setReason(e.target.value)} />
                  </label>
                  {error && (
                    <p className="error" role="alert">
                      {error}
                    </p>
                  )}
                  <button type="submit" className="button button--danger button--large" disabled={busy || !reason.trim()}>
                    {mode === 'void' ? t('refund.voidSubmit') : t('refund.submit', { amount: formatMoney(refundAmount, cur, app.locale) })}
                  </button>
                </div>
              </div>
            </form>
          )}
          {!sale && error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
    </Dialog>
  );
}
