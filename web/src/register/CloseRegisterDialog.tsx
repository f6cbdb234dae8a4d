import { useEffect, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, errorOf } from '../lib/errors';
import { amountOf, formatAmount, formatMoney, parseUserAmount } from '../lib/money';
import { Dialog } from '../shell/Dialog';
import { useApp } from '../shell/context';
import type { Waiting } from '../outbox/sync';
import { CloseRegisterDocument } from './operations';
import { SessionTotals, type TotalsData } from './SessionTotals';

interface Closed {
  expected: string;
  counted: string;
  overShort: string;
  totals: TotalsData;
}

/**
 * The blind count: the cashier types what the drawer holds; what it should hold, and the
 * difference, appear only once the count is confirmed. Nothing is closed while sales of this
 * cashier still wait in the outbox, sent or refused (those wait for a manager: `onReview`).
 */
export function CloseRegisterDialog({ onClose, onClosed, onReview }: { onClose: () => void; onClosed: () => void; onReview: () => void }) {
  const { t } = useTranslation();
  const app = useApp();
  const [counted, setCounted] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [left, setLeft] = useState<Waiting>({ unsynced: 0, needsManager: 0 });
  const waiting = left.unsynced + left.needsManager;
  const [closed, setClosed] = useState<Closed | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    void app.outbox.waitUntilEmpty(setLeft, controller.signal);
    return () => controller.abort();
  }, [app.outbox]);

  async function submit(event: SyntheticEvent) {
    event.preventDefault();
    const parsed = parseUserAmount(counted, app.currency);
    if (!parsed.ok) return setError(t('tender.amountInvalid'));
    if (!app.register || waiting > 0) return;
    setBusy(true);
    const r = await app.client
      .mutation(CloseRegisterDocument, {
        input: { registerSessionId: app.register.sessionId, countedCash: formatAmount(parsed.value, app.currency), note: note.trim() || null },
      })
      .toPromise();
    setBusy(false);
    const s = r.data?.closeRegister;
    if (s) {
      setClosed({ expected: s.expectedCash.amount, counted: s.countedCash?.amount ?? '0', overShort: s.overShort?.amount ?? '0', totals: s.totals });
    } else if (r.error) setError(describeError(t, errorOf(r.error)));
  }

  const money = (amount: string) => formatMoney(amountOf(amount, app.currency), app.currency, app.locale);

  if (closed) {
    const diff = amountOf(closed.overShort, app.currency);
    const word = diff > 0n ? t('close.over') : diff < 0n ? t('close.short') : t('close.exact');
    return (
      <Dialog title={t('close.closed')} onClose={onClosed}>
        <div className="stack print-area">
          <dl className="report report--big">
            <div>
              <dt>{t('close.counted')}</dt>
              <dd>{money(closed.counted)}</dd>
            </div>
            <div>
              <dt>{t('close.expected')}</dt>
              <dd>{money(closed.expected)}</dd>
            </div>
            <div className={`report__strong ${diff < 0n ? 'is-short' : diff > 0n ? 'is-over' : ''}`}>
              <dt>{t('close.overShort')}</dt>
              <dd>
                {money(closed.overShort)} <small>({word})</small>
              </dd>
            </div>
          </dl>
          <SessionTotals totals={closed.totals} />
          <div className="row row--end">
            <button type="button" className="button" onClick={() => window.print()}>
              {t('report.print')}
            </button>
            <button type="button" className="button button--primary" data-autofocus onClick={onClosed}>
              {t('close.done')}
            </button>
          </div>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title={t('close.title')} onClose={onClose}>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <p className="muted">{t('close.subtitle')}</p>
        {left.unsynced > 0 && (
          <p className="notice" role="status">
            {t('close.waiting', { count: left.unsynced })}
          </p>
        )}
        {left.needsManager > 0 && (
          <div className="attention" role="status">
            <span className="attention__text">{t('close.needsManager', { count: left.needsManager })}</span>
            <button type="button" className="button" onClick={onReview}>
              {t('refused.review')}
            </button>
          </div>
        )}
        <label className="field">
          <span>{t('close.counted')}</span>
          <input autoFocus inputMode="decimal" value={counted} onChange={(e) => setCounted(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('close.note')}</span>
          <input value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="row row--end">
          <button type="button" className="button" onClick={onClose}>
            {t('close.cancel')}
          </button>
          <button type="submit" className="button button--danger" disabled={busy || waiting > 0 || !counted.trim()}>
            {t('close.confirm')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
