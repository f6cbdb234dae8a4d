import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { describeError, errorOf } from '../lib/errors';
import { amountOf, formatMoney } from '../lib/money';
import type { OutboxRecord } from '../outbox/outbox';
import { SaleDocument, SalesDocument } from '../refund/operations';
import { Dialog } from '../shell/Dialog';
import { useApp } from '../shell/context';

export type Reprint = { kind: 'server'; number: string; text: string } | { kind: 'provisional'; record: OutboxRecord };

/** The recent sales of this session (and those still waiting to be sent), to print again. */
export function ReprintDialog({ onPick, onClose }: { onPick: (reprint: Reprint) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const app = useApp();
  const [pending, setPending] = useState<OutboxRecord[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [{ data, error: listError }] = useQuery({
    query: SalesDocument,
    variables: { filter: { registerSessionId: app.register?.sessionId ?? null }, first: 10 },
    requestPolicy: 'network-only',
  });
  useEffect(() => {
    void app.outbox.records().then(setPending);
  }, [app.outbox]);

  async function pick(id: string) {
    const r = await app.client.query(SaleDocument, { id }, { requestPolicy: 'network-only' }).toPromise();
    const sale = r.data?.sale;
    if (sale) onPick({ kind: 'server', number: sale.number, text: sale.receiptText });
    else if (r.error) setError(describeError(t, errorOf(r.error)));
  }

  const time = (iso: string) => new Intl.DateTimeFormat(app.locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
  const sales = data?.sales.edges.map((e) => e.node) ?? [];
  return (
    <Dialog title={t('receipt.reprintTitle')} onClose={onClose}>
      <div className="stack">
        <h3>{t('receipt.recentSales')}</h3>
        {(error ?? listError) && (
          <p className="error" role="alert">
            {error ?? (listError ? describeError(t, errorOf(listError)) : '')}
          </p>
        )}
        <ul className="plain-list">
          {pending.map((r) => (
            <li key={r.key}>
              <button type="button" className="button button--block list-button" onClick={() => onPick({ kind: 'provisional', record: r })}>
                <span>
                  {t('receipt.reprint')} {r.receipt.reference}
                </span>
                <small className="muted">
                  {time(r.occurredAt)} · {formatMoney(amountOf(r.receipt.total, app.currency), app.currency, app.locale)}
                </small>
              </button>
            </li>
          ))}
          {sales.map((s) => (
            <li key={s.id}>
              <button type="button" className="button button--block list-button" onClick={() => void pick(s.id)}>
                <span>
                  {t('receipt.reprint')} {s.number}
                </span>
                <small className="muted">
                  {time(s.createdAt)} · {formatMoney(amountOf(s.total.amount, app.currency), app.currency, app.locale)} · {s.status}
                </small>
              </button>
            </li>
          ))}
        </ul>
        {sales.length === 0 && pending.length === 0 && <p className="muted">{t('receipt.noRecent')}</p>}
      </div>
    </Dialog>
  );
}
