import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSubscription } from 'urql';
import { SignOutDialog } from '../auth/SignOutDialog';
import { amountOf, formatMoney, formatQuantity, milliOf, type Minor } from '../lib/money';
import type { OutboxRecord, SendOutcome } from '../outbox/outbox';
import { RefusedSalesDialog } from '../outbox/RefusedSalesDialog';
import { RefundDialog } from '../refund/RefundDialog';
import { cartFromJson, cartReducer, cartToJson, cartView, emptyCart, type CartProduct } from '../sale/cart';
import { CartTable } from '../sale/CartTable';
import { CustomerDialog } from '../sale/CustomerDialog';
import { DiscountDialog } from '../sale/DiscountDialog';
import { loadHeld, saveHeld, type HeldSale } from '../sale/held';
import { HeldSalesDialog } from '../sale/HeldSalesDialog';
import { LowStockAlertsDocument } from '../sale/operations';
import { ScanField, type ScanApi } from '../sale/ScanField';
import { feedKey, initialBurst } from '../sale/scanner';
import { TotalsPanel } from '../sale/TotalsPanel';
import { useApp } from '../shell/context';
import { TopBar } from '../shell/TopBar';
import { provisionalReceiptText, receiptDate } from '../tender/receiptText';
import { ReceiptDialog } from '../tender/ReceiptDialog';
import { ReprintDialog, type Reprint } from '../tender/ReprintDialog';
import { TenderDialog, type SaleDone } from '../tender/TenderDialog';
import { CashMovementDialog } from './CashMovementDialog';
import { CloseRegisterDialog } from './CloseRegisterDialog';
import { LocationsDocument, RegisterSessionDocument, shopLocation } from './operations';
import { XReportDialog } from './XReportDialog';

type Panel =
  | { kind: 'none' }
  | { kind: 'tender' }
  | { kind: 'receipt'; text: string; number: string | null; provisional: boolean; change: Minor | null; afterSale: boolean }
  | { kind: 'customer' }
  | { kind: 'held' }
  | { kind: 'discount'; productId: string }
  | { kind: 'cash' }
  | { kind: 'xreport' }
  | { kind: 'refund' }
  | { kind: 'void' }
  | { kind: 'reprint' }
  | { kind: 'close' }
  | { kind: 'signout' }
  | { kind: 'refused' };

const cartKey = (sessionId: string) => `pos.cart.${sessionId}`;

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function RegisterScreen() {
  const { t, i18n } = useTranslation();
  const app = useApp();
  const register = app.register;
  const sessionId = register?.sessionId ?? '';
  const [cart, dispatch] = useReducer(cartReducer, emptyCart, () => {
    const raw = localStorage.getItem(cartKey(sessionId));
    return (raw && cartFromJson(raw)) || emptyCart;
  });
  const [panel, setPanel] = useState<Panel>({ kind: 'none' });
  const [held, setHeld] = useState<HeldSale[]>(() => loadHeld(sessionId));
  const [message, setMessage] = useState<{ text: string; kind: 'info' | 'error' } | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [lastAdded, setLastAdded] = useState<string | null>(null);
  const [lastSale, setLastSale] = useState<{ key: string | null; reference: string; total: Minor; change: Minor; text: string; provisional: boolean } | null>(null);

  // An offline sale that reaches the server takes its real number and receipt; one a manager
  // discarded is no longer the last sale to reprint.
  useEffect(
    () =>
      app.outbox.subscribe((event) => {
        if (event.type === 'discarded') setLastSale((last) => (last?.key === event.key ? null : last));
        if (event.type !== 'outcome' || event.outcome.kind !== 'accepted') return;
        const { number, receiptText } = event.outcome;
        setLastSale((last) => (last?.key === event.key ? { ...last, key: null, reference: number, text: receiptText, provisional: false } : last));
      }),
    [app.outbox],
  );
  const scanRef = useRef<HTMLInputElement>(null);
  const scanApi = useRef<ScanApi>(null);
  const burst = useRef(initialBurst);
  const pricesIncludeTax = app.location?.pricesIncludeTax ?? true;
  const view = cartView(cart, pricesIncludeTax);
  const money = useCallback((minor: Minor) => formatMoney(minor, app.currency, app.locale), [app.currency, app.locale]);

  // The cart survives a reload: written on every change.
  useEffect(() => {
    localStorage.setItem(cartKey(sessionId), cartToJson(cart));
  }, [cart, sessionId]);

  const focusScan = useCallback(() => {
    scanRef.current?.focus();
    // After a dialog closes or a line re-renders the focus may land on the page itself: take it
    // back then, but never from a field the cashier has moved to meanwhile.
    requestAnimationFrame(() => {
      const active = document.activeElement;
      if (!active || active === document.body) scanRef.current?.focus();
    });
  }, []);

  const closePanel = useCallback(() => {
    setPanel({ kind: 'none' });
    focusScan();
  }, [focusScan]);

  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(() => setMessage(null), 5000);
    return () => clearTimeout(timer);
  }, [message]);

  // The session may have been closed elsewhere: back to opening a register. And the shop's
  // details may have changed since the register opened (what provisional receipts print).
  useEffect(() => {
    if (!sessionId) return;
    void app.client
      .query(LocationsDocument, {}, { requestPolicy: 'network-only' })
      .toPromise()
      .then((r) => {
        const same = r.data?.locations.find((l) => l.id === app.location?.id);
        if (same && JSON.stringify(shopLocation(same)) !== JSON.stringify(app.location)) app.setLocation(shopLocation(same));
      });
    void app.client
      .query(RegisterSessionDocument, { id: sessionId }, { requestPolicy: 'network-only' })
      .toPromise()
      .then((r) => {
        const status = r.data?.registerSession.status;
        const code = r.error?.graphQLErrors[0]?.extensions.code;
        if (status === 'CLOSED' || code === 'NOT_FOUND') {
          app.notify({ kind: 'error', text: t('errors.REGISTER_CLOSED') });
          app.setRegister(null);
        }
      });
    // Once per session: the app object changes on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sessionId]);

  const isManager = app.session?.user.role === 'MANAGER' || app.session?.user.role === 'ADMIN';
  useSubscription(
    { query: LowStockAlertsDocument, variables: { locationId: register?.locationId ?? '' }, pause: !isManager || !register },
    (_previous, data) => {
      const alert = data.lowStockAlerts;
      app.notify({ kind: 'info', text: t('sale.lowStock', { name: alert.product?.name ?? '', onHand: formatQuantity(milliOf(alert.onHand), app.locale) }) });
      return data;
    },
  );

  const add = useCallback(
    (product: CartProduct) => {
      dispatch({ type: 'add', product });
      setLastAdded(product.id);
      const existing = cart.lines.find((l) => l.product.id === product.id);
      const quantity = (existing?.quantityMilli ?? 0n) + 1000n;
      setAnnouncement(t('sale.added', { name: product.name, quantity: formatQuantity(quantity, app.locale) }));
      focusScan();
    },
    [cart.lines, t, app.locale, focusScan],
  );

  const startTender = useCallback(() => {
    if (cart.lines.length === 0 || panel.kind !== 'none') return;
    dispatch({ type: 'startTender', idempotencyKey: crypto.randomUUID() });
    setPanel({ kind: 'tender' });
  }, [cart.lines.length, panel.kind]);

  const newSale = useCallback(() => {
    if (panel.kind === 'receipt' && panel.afterSale) setPanel({ kind: 'none' });
    else if (panel.kind !== 'none') return;
    dispatch({ type: 'clear' });
    setLastAdded(null);
    focusScan();
  }, [panel, focusScan]);

  const hold = useCallback(() => {
    if (cart.lines.length === 0) return;
    const next = [...held, { id: crypto.randomUUID(), heldAt: new Date().toISOString(), cart: { ...cart, idempotencyKey: null } }];
    setHeld(next);
    saveHeld(sessionId, next);
    dispatch({ type: 'clear' });
    app.notify({ kind: 'info', text: t('sale.held') });
    focusScan();
  }, [cart, held, sessionId, app, t, focusScan]);

  function recall(sale: HeldSale) {
    let next = held.filter((h) => h.id !== sale.id);
    if (cart.lines.length > 0) next = [...next, { id: crypto.randomUUID(), heldAt: new Date().toISOString(), cart }];
    setHeld(next);
    saveHeld(sessionId, next);
    dispatch({ type: 'load', cart: sale.cart });
    closePanel();
  }

  function onSaleDone(done: SaleDone) {
    dispatch({ type: 'clear' });
    setLastAdded(null);
    const total = view.totals.total;
    if (done.kind === 'server') {
      setPanel({ kind: 'receipt', text: done.receiptText, number: done.number, provisional: false, change: done.change, afterSale: true });
      setLastSale({ key: null, reference: done.number, total, change: done.change, text: done.receiptText, provisional: false });
    } else {
      const text = provisional(done.record);
      setPanel({ kind: 'receipt', text, number: done.record.receipt.reference, provisional: true, change: done.change, afterSale: true });
      setLastSale({ key: done.record.key, reference: done.record.receipt.reference, total, change: done.change, text, provisional: true });
    }
    setAnnouncement(`${t('tender.change')} ${money(done.change)}`);
  }

  /** The provisional receipt, in the shop's receipt language like the server's receipts. */
  function provisional(record: OutboxRecord): string {
    const language = app.location?.language === 'EN' ? 'en' : 'es';
    const rt = i18n.getFixedT(language);
    const shop = app.location
      ? { name: app.location.name, legalName: app.location.legalName, taxId: app.location.taxId, address: app.location.address, receiptFooter: app.location.receiptFooter }
      : null;
    return provisionalReceiptText(
      record.receipt,
      shop,
      {
        provisional: rt('receipt.provisionalTitle'),
        taxId: rt('receipt.taxId'),
        date: rt('receipt.date'),
        register: rt('receipt.register'),
        cashier: rt('receipt.cashier'),
        total: rt('sale.total'),
        taxIncluded: rt('receipt.taxIncluded'),
        tax: rt('sale.tax'),
        change: rt('tender.change'),
        customer: rt('sale.customer'),
        pending: rt('receipt.pending'),
        footer: rt('receipt.footer'),
        methods: { CASH: rt('tender.CASH'), CARD: rt('tender.CARD'), TRANSFER: rt('tender.TRANSFER'), OTHER: rt('tender.OTHER') },
      },
      { locale: language === 'en' ? 'en-GB' : 'es-ES', when: receiptDate(new Date(record.occurredAt), language) },
    );
  }

  function onRejected(outcome: Extract<SendOutcome, { kind: 'rejected' }>) {
    const price = outcome.extensions.currentPrice;
    const field = outcome.extensions.field;
    if (outcome.code === 'CONFLICT' && typeof price === 'string' && typeof field === 'string') {
      const index = Number(/lines\[(\d+)\]/.exec(field)?.[1] ?? -1);
      const line = cart.lines[index];
      if (line) {
        const priceMinor = amountOf(price, app.currency);
        dispatch({ type: 'setPrice', productId: line.product.id, priceMinor });
        app.notify({ kind: 'error', text: t('sale.priceChanged', { name: line.product.name, price: money(priceMinor) }) });
        closePanel();
      }
    }
    if (outcome.code === 'REGISTER_CLOSED') {
      app.notify({ kind: 'error', text: t('errors.REGISTER_CLOSED') });
    }
  }

  // Shortcuts, and scans that arrive while the focus is not in a text field.
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      const shortcuts: Record<string, () => void> = {
        F2: focusScan,
        F4: () => panel.kind === 'none' && setPanel({ kind: 'customer' }),
        F8: hold,
        F9: startTender,
        F10: newSale,
      };
      const altDigits: Record<string, string> = { '1': 'F9', '2': 'F10', '3': 'F2', '4': 'F4', '5': 'F8' };
      const key = event.altKey && altDigits[event.key] ? altDigits[event.key] : event.key;
      const action = key ? shortcuts[key] : undefined;
      if (action) {
        event.preventDefault();
        action();
        return;
      }
      // A scan while the receipt of the last sale shows starts the next sale with it.
      const onReceipt = panel.kind === 'receipt' && panel.afterSale;
      if ((panel.kind !== 'none' && !onReceipt) || isEditable(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      const step = feedKey(burst.current, event.key, event.timeStamp);
      burst.current = step.state;
      if (step.result.kind === 'scan') {
        event.preventDefault();
        event.stopPropagation();
        if (onReceipt) newSale();
        scanRef.current?.focus();
        scanApi.current?.submit(step.result.code);
      } else if (onReceipt) {
        // Part of a possible scan: not for the receipt's buttons.
        if (step.result.kind === 'char') event.preventDefault();
      } else if (step.result.kind === 'char') {
        // A character typed on a button goes to the scan field instead.
        scanRef.current?.focus();
      }
    }
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, [panel, focusScan, hold, startTender, newSale]);

  useEffect(() => {
    if (panel.kind === 'none') focusScan();
  }, [panel.kind, focusScan]);

  const discountLine = panel.kind === 'discount' ? cart.lines.find((l) => l.product.id === panel.productId) : undefined;
  const cashier = app.session?.user;

  return (
    <div className="screen screen--register">
      <TopBar>
        <span className="topbar__register">
          {register?.registerName} <span className="muted">· {app.location?.name}</span>
        </span>
        <span className="topbar__who">{cashier?.fullName}</span>
      </TopBar>
      {/* Behind an open dialog the sale is inert for everyone, screen readers included. */}
      <main className="register" inert={panel.kind !== 'none'} aria-hidden={panel.kind !== 'none' ? true : undefined}>
        <section className="sale-pane" aria-label={t('sale.cart')}>
          {app.needsManager > 0 && (
            <div className="attention">
              <span className="attention__text">{t('status.needsManager', { count: app.needsManager })}</span>
              <button type="button" className="button" onClick={() => setPanel({ kind: 'refused' })}>
                {t('refused.review')}
              </button>
            </div>
          )}
          <ScanField inputRef={scanRef} apiRef={scanApi} onAdd={add} onMessage={(text, kind) => setMessage({ text, kind })} />
          <div className="messages" aria-live="polite">
            {message && <p className={`flash flash--${message.kind}`}>{message.text}</p>}
          </div>
          <CartTable
            view={view}
            lastAdded={lastAdded}
            onQuantity={(productId, quantityMilli) => dispatch({ type: 'setQuantity', productId, quantityMilli })}
            onDiscount={(productId) => setPanel({ kind: 'discount', productId })}
            onRemove={(productId) => {
              const name = cart.lines.find((l) => l.product.id === productId)?.product.name ?? '';
              dispatch({ type: 'remove', productId });
              setAnnouncement(t('sale.removed', { name }));
              focusScan();
            }}
            onDone={focusScan}
          />
          <p className="shortcuts muted">{t('sale.shortcuts')}</p>
        </section>
        <aside className="side-pane">
          <div className="customer-chip">
            <span className="muted">{t('sale.customer')}</span>
            <strong>{cart.customer?.name ?? t('sale.customerNone')}</strong>
            {cart.customer ? (
              <button type="button" className="link-button" onClick={() => { dispatch({ type: 'setCustomer', customer: null }); focusScan(); }}>
                {t('sale.removeCustomer')}
              </button>
            ) : (
              <button type="button" className="link-button" aria-keyshortcuts="F4" onClick={() => setPanel({ kind: 'customer' })}>
                {t('customer.title')} <kbd>F4</kbd>
              </button>
            )}
          </div>
          <TotalsPanel view={view} />
          <button type="button" className="button button--pay" disabled={cart.lines.length === 0} onClick={startTender} aria-keyshortcuts="F9">
            <span>{t('sale.pay')}</span>
            <span className="button--pay__amount">{money(view.totals.total)}</span>
            <kbd aria-hidden="true">F9</kbd>
          </button>
          <div className="quick-actions">
            <button type="button" className="button" onClick={hold} disabled={cart.lines.length === 0} aria-keyshortcuts="F8">
              {t('sale.hold')} <kbd aria-hidden="true">F8</kbd>
            </button>
            <button type="button" className="button" onClick={() => setPanel({ kind: 'held' })}>
              {t('sale.recall')}
              {held.length > 0 && <span className="badge">{held.length}</span>}
            </button>
            <button type="button" className="button" onClick={newSale} aria-keyshortcuts="F10">
              {t('sale.newSale')} <kbd aria-hidden="true">F10</kbd>
            </button>
          </div>
          {lastSale && (
            <div className="last-sale">
              <span className="last-sale__label">{t('sale.lastSale')}</span>
              <span className="last-sale__what">
                {lastSale.reference} · {money(lastSale.total)}
                <span className="muted"> · {t('sale.lastSaleChange', { change: money(lastSale.change) })}</span>
              </span>
              <button
                type="button"
                className="button"
                onClick={() =>
                  setPanel({ kind: 'receipt', text: lastSale.text, number: lastSale.reference, provisional: lastSale.provisional, change: null, afterSale: false })
                }
              >
                {t('receipt.print')}
              </button>
            </div>
          )}
          <nav className="register-actions" aria-label={t('menu.actions')}>
            <button type="button" className="button button--quiet" onClick={() => setPanel({ kind: 'cash' })}>
              {t('menu.cash')}
            </button>
            <button type="button" className="button button--quiet" onClick={() => setPanel({ kind: 'xreport' })}>
              {t('menu.xReport')}
            </button>
            <button type="button" className="button button--quiet" onClick={() => setPanel({ kind: 'reprint' })}>
              {t('menu.reprint')}
            </button>
            <button type="button" className="button button--quiet" onClick={() => setPanel({ kind: 'refund' })}>
              {t('menu.refund')}
            </button>
            <button type="button" className="button button--quiet" onClick={() => setPanel({ kind: 'void' })}>
              {t('menu.void')}
            </button>
            <button type="button" className="button button--quiet" onClick={() => setPanel({ kind: 'signout' })}>
              {t('menu.signOut')}
            </button>
            <button type="button" className="button button--quiet button--wide" onClick={() => setPanel({ kind: 'close' })}>
              {t('menu.close')}
            </button>
          </nav>
        </aside>
      </main>
      <div className="visually-hidden" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>

      {panel.kind === 'tender' && <TenderDialog cart={cart} total={view.totals.total} onDone={onSaleDone} onRejected={onRejected} onClose={closePanel} />}
      {panel.kind === 'receipt' && (
        <ReceiptDialog
          text={panel.text}
          number={panel.number}
          provisional={panel.provisional}
          change={panel.change}
          onNewSale={panel.afterSale ? newSale : undefined}
          onClose={closePanel}
        />
      )}
      {panel.kind === 'customer' && (
        <CustomerDialog
          onPick={(customer) => {
            dispatch({ type: 'setCustomer', customer });
            closePanel();
          }}
          onClose={closePanel}
        />
      )}
      {panel.kind === 'held' && <HeldSalesDialog held={held} onRecall={recall} onClose={closePanel} />}
      {panel.kind === 'discount' && discountLine && (
        <DiscountDialog
          line={discountLine}
          onApply={(discount) => {
            dispatch({ type: 'setDiscount', productId: discountLine.product.id, discount });
            closePanel();
          }}
          onClose={closePanel}
        />
      )}
      {panel.kind === 'cash' && <CashMovementDialog onClose={closePanel} />}
      {panel.kind === 'xreport' && <XReportDialog onClose={closePanel} />}
      {(panel.kind === 'refund' || panel.kind === 'void') && <RefundDialog mode={panel.kind} onClose={closePanel} />}
      {panel.kind === 'reprint' && (
        <ReprintDialog
          onPick={(reprint: Reprint) =>
            setPanel(
              reprint.kind === 'server'
                ? { kind: 'receipt', text: reprint.text, number: reprint.number, provisional: false, change: null, afterSale: false }
                : { kind: 'receipt', text: provisional(reprint.record), number: reprint.record.receipt.reference, provisional: true, change: null, afterSale: false },
            )
          }
          onClose={closePanel}
        />
      )}
      {panel.kind === 'close' && (
        <CloseRegisterDialog
          onClose={closePanel}
          onReview={() => setPanel({ kind: 'refused' })}
          onClosed={() => {
            localStorage.removeItem(cartKey(sessionId));
            app.setRegister(null);
          }}
        />
      )}
      {panel.kind === 'signout' && <SignOutDialog onClose={closePanel} onReview={() => setPanel({ kind: 'refused' })} />}
      {panel.kind === 'refused' && <RefusedSalesDialog onClose={closePanel} />}
    </div>
  );
}

