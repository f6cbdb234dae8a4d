import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { describeError, errorOf } from '../lib/errors';
import { amountOf, formatMoney } from '../lib/money';
import { Dialog } from '../shell/Dialog';
import { useApp } from '../shell/context';
import { RegisterSessionDocument } from './operations';
import { SessionTotals } from './SessionTotals';

export function XReportDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const app = useApp();
  const [{ data, error, fetching }] = useQuery({
    query: RegisterSessionDocument,
    variables: { id: app.register?.sessionId ?? '' },
    requestPolicy: 'network-only',
  });
  const s = data?.registerSession;
  const money = (amount: string) => formatMoney(amountOf(amount, app.currency), app.currency, app.locale);
  return (
    <Dialog title={t('report.title')} onClose={onClose}>
      {fetching && <p className="muted">{t('common.loading')}</p>}
      {error && (
        <p className="error" role="alert">
          {describeError(t, errorOf(error))}
        </p>
      )}
      {s && (
        <div className="stack print-area">
          <p className="muted">
            {s.registerName} · {s.location.code}
          </p>
          <SessionTotals totals={s.totals} />
          <dl className="report">
            <div>
              <dt>{t('report.openingFloat')}</dt>
              <dd>{money(s.openingFloat.amount)}</dd>
            </div>
            {s.cashMovements.map((m) => (
              <div key={m.id}>
                <dt>
                  {m.kind === 'PAY_IN' ? t('cash.payIn') : t('cash.payOut')} · {m.reason}
                </dt>
                <dd>
                  {m.kind === 'PAY_OUT' ? '−' : ''}
                  {money(m.amount.amount)}
                </dd>
              </div>
            ))}
            <div className="report__strong">
              <dt>{t('report.expected')}</dt>
              <dd>{money(s.expectedCash.amount)}</dd>
            </div>
          </dl>
          <button type="button" className="button" onClick={() => window.print()}>
            {t('report.print')}
          </button>
        </div>
      )}
    </Dialog>
  );
}
