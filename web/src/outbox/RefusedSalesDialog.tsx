import { useCallback, useEffect, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { amountOf, formatMoney } from '../lib/money';
import { ManagerOverride } from '../refund/ManagerOverride';
import type { ManagerGrant } from '../refund/override';
import { Dialog } from '../shell/Dialog';
import { useApp } from '../shell/context';
import { needsManager, refusedForTime, type OutboxRecord, type SendOutcome } from './outbox';
import { refusalText } from './refusal';

type Action = { kind: 'serverTime' | 'discard'; key: string };

/**
 * The sales the server refused after the till had completed them offline (the customer has the
 * goods): why, and what to do. Sending one again needs nobody; sending it with the server's time
 * (a till clock that was wrong) or discarding it needs a manager's override, and a discard a reason.
 */
export function RefusedSalesDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const app = useApp();
  const user = app.session?.user.username ?? null;
  const [records, setRecords] = useState<OutboxRecord[]>([]);
  const [action, setAction] = useState<Action | null>(null);
  const [grant, setGrant] = useState<ManagerGrant | null>(null);
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<{ kind: 'info' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    void app.outbox.records().then((all) => setRecords(all.filter((r) => r.username === user && needsManager(r))));
  }, [app.outbox, user]);
  useEffect(() => {
    load();
    return app.outbox.subscribe(load);
  }, [app.outbox, load]);

  // The manager's session ends with the dialog, whatever happened in it.
  useEffect(() => () => void grant?.end(), [grant]);

  const money = (amount: string) => formatMoney(amountOf(amount, app.currency), app.currency, app.locale);
  const when = (iso: string) => new Intl.DateTimeFormat(app.locale, { dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));

  function after(record: OutboxRecord, outcome: SendOutcome | null) {
    if (!outcome) return;
    if (outcome.kind === 'accepted') {
      setMessage({ kind: 'info', text: t('refused.sent', { reference: record.receipt.reference, number: outcome.number }) });
    } else if (outcome.kind === 'rejected') {
      // The record is refused again, with the new reason (the list reloads it).
      setMessage({ kind: 'error', text: t('refused.stillRefused') });
    } else {
      setMessage({ kind: 'info', text: t('refused.queued') });
    }
  }

  async function retry(record: OutboxRecord, serverTime: boolean) {
    setBusy(true);
    setMessage(null);
    const outcome = await app.outbox.retryRefused(record.key, serverTime);
    setBusy(false);
    after(record, outcome);
  }

  async function onGrant(record: OutboxRecord, given: ManagerGrant) {
    setGrant(given);
    if (action?.kind === 'serverTime') {
      await retry(record, true);
      await endAction(given);
    }
  }

  async function endAction(given: ManagerGrant | null) {
    await given?.end();
    setGrant(null);
    setAction(null);
    setReason('');
  }

  async function discard(event: SyntheticEvent, record: OutboxRecord) {
    event.preventDefault();
    if (!grant || !reason.trim()) return;
    setBusy(true);
    const done = await app.outbox.discard(record.key, reason.trim(), grant.name);
    setBusy(false);
    if (done) app.notify({ kind: 'info', text: t('refused.discarded', { reference: record.receipt.reference, name: grant.name }) });
    await endAction(grant);
  }

  return (
    <Dialog title={t('refused.title')} onClose={onClose} wide>
      <div className="stack">
        <p className="muted">{t('refused.intro')}</p>
        {message && (
          <p className={message.kind === 'error' ? 'error' : 'notice'} role={message.kind === 'error' ? 'alert' : 'status'}>
            {message.text}
          </p>
        )}
        {records.length === 0 && <p className="notice">{t('refused.none')}</p>}
        <div className="refused-list">
          {records.map((record) => {
            const acting = action?.key === record.key ? action : null;
            return (
              <section key={record.key} className="refused" aria-label={record.receipt.reference}>
                <div className="refused__head">
                  <span>{record.receipt.reference}</span>
                  <span>{money(record.receipt.total)}</span>
                </div>
                <p className="muted">
                  {t('refused.when', { time: when(record.occurredAt) })} · {record.receipt.lines.map((l) => l.name).join(', ')}
                </p>
                <p className="refused__reason">{refusalText(t, record, app.locale)}</p>
                {!acting && (
                  <div className="refused__actions">
                    <button type="button" className="button button--primary" disabled={busy} onClick={() => void retry(record, false)}>
                      {t('refused.retry')}
                    </button>
                    {refusedForTime(record) && (
                      <button type="button" className="button" disabled={busy} onClick={() => setAction({ kind: 'serverTime', key: record.key })}>
                        {t('refused.serverTime')}
                      </button>
                    )}
                    <button type="button" className="button button--quiet" disabled={busy} onClick={() => setAction({ kind: 'discard', key: record.key })}>
                      {t('refused.discard')}
                    </button>
                  </div>
                )}
                {acting && (
                  <div className="stack">
                    <p className="muted">{acting.kind === 'serverTime' ? t('refused.serverTimeHelp') : t('refused.discardHelp')}</p>
                    {!grant && <ManagerOverride onGrant={(given) => void onGrant(record, given)} />}
                    {grant && acting.kind === 'discard' && (
                      <form className="stack" onSubmit={(e) => void discard(e, record)} noValidate>
                        <p className="notice">{t('override.authorisedBy', { name: grant.name })}</p>
                        <label className="field">
                          <span>{t('refused.discardReason')}</span>
                          <input autoFocus value={reason} onChange={(e) => setReason(e.target.value)} />
                        </label>
                        <button type="submit" className="button button--danger" disabled={busy || !reason.trim()}>
                          {t('refused.discardConfirm')}
                        </button>
                      </form>
                    )}
                    <button type="button" className="button" onClick={() => void endAction(grant)}>
                      {t('common.cancel')}
                    </button>
                  </div>
                )}
              </section>
            );
          })}
        </div>
      </div>
    </Dialog>
  );
}
