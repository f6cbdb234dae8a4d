import { useEffect, useId, useRef, useState, type KeyboardEvent, type Ref, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../lib/money';
import { useApp } from '../shell/context';
import type { CartProduct } from './cart';
import { cachedSearch, scan, search } from './lookup';

export interface ScanApi {
  /** Looks a code up as if it had been typed and Enter pressed (a scan caught elsewhere). */
  submit: (code: string) => void;
}

interface Props {
  inputRef: Ref<HTMLInputElement>;
  apiRef: RefObject<ScanApi | null>;
  onAdd: (product: CartProduct) => void;
  onMessage: (text: string, kind: 'info' | 'error') => void;
  disabled?: boolean;
}

const DEBOUNCE_MS = 90;

/**
 * The scan field: a scanner's Enter looks the code up; typing searches as you type, with the
 * results in a listbox the arrow keys walk and Enter picks from.
 */
export function ScanField({ inputRef, apiRef, onAdd, onMessage, disabled = false }: Props) {
  const { t } = useTranslation();
  const app = useApp();
  const [text, setText] = useState('');
  const [results, setResults] = useState<CartProduct[] | null>(null);
  const [active, setActive] = useState(-1);
  const [offlineResults, setOfflineResults] = useState(false);
  const [resultsFor, setResultsFor] = useState('');
  const listId = useId();
  const latest = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  function close() {
    setResults(null);
    setActive(-1);
  }

  function schedule(query: string) {
    if (timer.current) clearTimeout(timer.current);
    // Whatever is in flight answers an older text: it will not be shown.
    latest.current++;
    const trimmed = query.trim();
    if (trimmed.length < 2) {
      close();
      return;
    }
    // Words searched before answer from the client's cache at once, without the debounce.
    const cached = cachedSearch(app.client, trimmed, app.currency);
    if (cached) {
      setResults(cached);
      setResultsFor(trimmed);
      setOfflineResults(false);
      setActive(cached.length > 0 ? 0 : -1);
      return;
    }
    timer.current = setTimeout(() => {
      const ticket = latest.current;
      void search(app.client, trimmed, app.currency).then((answer) => {
        if (ticket !== latest.current) return;
        setResults(answer.products);
        setResultsFor(trimmed);
        setOfflineResults(answer.offline);
        setActive(answer.products.length > 0 ? 0 : -1);
      });
    }, DEBOUNCE_MS);
  }

  function pick(product: CartProduct) {
    latest.current++;
    setText('');
    close();
    onAdd(product);
  }

  async function enter() {
    const code = text.trim();
    if (timer.current) clearTimeout(timer.current);
    const chosen = results && active >= 0 ? results[active] : undefined;
    // A highlighted result wins only when the list belongs to what is typed now.
    if (chosen && resultsFor === code) {
      pick(chosen);
      return;
    }
    if (!code) return;
    await lookup(code);
  }

  async function lookup(code: string) {
    const ticket = ++latest.current;
    setText('');
    close();
    const answer = await scan(app.client, code, app.currency, app.reachable);
    // A later scan does not hide what this one found: its product or its "unknown" message.
    if (ticket !== latest.current && answer.kind === 'choose') return;
    switch (answer.kind) {
      case 'product':
        onAdd(answer.product);
        break;
      case 'choose':
        setText(code);
        setResults(answer.products);
        setResultsFor(code);
        setOfflineResults(answer.offline);
        setActive(0);
        break;
      case 'unknown':
        onMessage(answer.offline ? t('sale.unknownOffline', { code }) : t('sale.unknownCode', { code }), 'error');
        break;
    }
  }

  useEffect(() => {
    apiRef.current = { submit: (code: string) => void lookup(code) };
  });

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter') {
      event.preventDefault();
      void enter();
    } else if (event.key === 'ArrowDown' && results && results.length > 0) {
      event.preventDefault();
      setActive((i) => Math.min(results.length - 1, i + 1));
    } else if (event.key === 'ArrowUp' && results && results.length > 0) {
      event.preventDefault();
      setActive((i) => Math.max(0, i - 1));
    } else if (event.key === 'Escape' && (results || text)) {
      event.preventDefault();
      event.stopPropagation();
      setText('');
      close();
    }
  }

  const open = results !== null;
  const activeId = open && active >= 0 ? `${listId}-${active}` : undefined;

  return (
    <div className="scan">
      <div className="scan__field">
        <span className="scan__icon" aria-hidden="true">
          ⌕
        </span>
        <input
          ref={inputRef}
          type="text"
          className="scan__input"
          aria-label={t('sale.scan')}
          placeholder={t('sale.scanPlaceholder')}
          autoComplete="off"
          spellCheck={false}
          aria-controls={open ? listId : undefined}
          aria-activedescendant={activeId}
          aria-keyshortcuts="F2"
          value={text}
          disabled={disabled}
          onChange={(e) => {
            setText(e.target.value);
            schedule(e.target.value);
          }}
          onKeyDown={onKeyDown}
        />
        <kbd className="scan__kbd" aria-hidden="true">
          F2
        </kbd>
      </div>
      {open && (
        <div className="results">
          {offlineResults && <p className="results__note">{t('sale.offlineCached')}</p>}
          {results.length === 0 ? (
            <p className="results__empty">{t('sale.noResults', { query: text.trim() })}</p>
          ) : (
            <ul id={listId} role="listbox" aria-label={t('sale.results')} className="results__list">
              {results.map((product, index) => (
                <li
                  key={product.id}
                  id={`${listId}-${index}`}
                  role="option"
                  aria-selected={index === active}
                  className="results__item"
                  onMouseDown={(e) => e.preventDefault()}
                  onMouseEnter={() => setActive(index)}
                  onClick={() => pick(product)}
                >
                  <span className="results__name">{product.name}</span>
                  <span className="results__sku">{product.sku}</span>
                  <span className="results__price">{formatMoney(product.priceMinor, app.currency, app.locale)}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
