import { useEffect, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, errorOf } from '../lib/errors';
import { Dialog } from '../shell/Dialog';
import { useApp } from '../shell/context';
import type { CartCustomer } from './cart';
import { CreateCustomerDocument, CustomersDocument } from './operations';

interface Found {
  id: string;
  name: string;
  email?: string | null;
  taxId?: string | null;
}

export function CustomerDialog({ onPick, onClose }: { onPick: (customer: CartCustomer) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const app = useApp();
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Found[]>([]);
  const [creating, setCreating] = useState(false);
  const [form, setForm] = useState({ name: '', email: '', phone: '', taxId: '' });
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const timer = setTimeout(() => {
      void app.client
        .query(CustomersDocument, { search: query.trim() || null, first: 8 }, { requestPolicy: 'network-only' })
        .toPromise()
        .then((r) => {
          if (r.error) setError(describeError(t, errorOf(r.error)));
          else setError(null);
          setFound(r.data?.customers.edges.map((e) => e.node) ?? []);
        });
    }, 150);
    return () => clearTimeout(timer);
  }, [query, app.client, t]);

  async function create(event: SyntheticEvent) {
    event.preventDefault();
    const blank = (s: string) => (s.trim() === '' ? null : s.trim());
    const r = await app.client
      .mutation(CreateCustomerDocument, { input: { name: form.name.trim(), email: blank(form.email), phone: blank(form.phone), taxId: blank(form.taxId) } })
      .toPromise();
    const customer = r.data?.createCustomer;
    if (customer) onPick({ id: customer.id, name: customer.name });
    else if (r.error) setError(describeError(t, errorOf(r.error)));
  }

  return (
    <Dialog title={t('customer.title')} onClose={onClose}>
      {!creating ? (
        <div className="stack">
          <label className="field">
            <span>{t('customer.search')}</span>
            <input autoFocus value={query} onChange={(e) => setQuery(e.target.value)} />
          </label>
          {!app.reachable && <p className="notice">{t('customer.offline')}</p>}
          <ul className="plain-list customer-list">
            {found.map((c) => (
              <li key={c.id}>
                <button type="button" className="button button--block list-button" onClick={() => onPick({ id: c.id, name: c.name })}>
                  <span>{t('customer.attach', { name: c.name })}</span>
                  <small className="muted">{[c.taxId, c.email].filter(Boolean).join(' · ')}</small>
                </button>
              </li>
            ))}
          </ul>
          {found.length === 0 && <p className="muted">{t('customer.none')}</p>}
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <button type="button" className="button" onClick={() => setCreating(true)}>
            {t('customer.create')}
          </button>
        </div>
      ) : (
        <form className="stack" onSubmit={(e) => void create(e)} noValidate>
          {(['name', 'email', 'phone', 'taxId'] as const).map((field, i) => (
            <label className="field" key={field}>
              <span>{t(`customer.${field}`)}</span>
              <input autoFocus={i === 0} value={form[field]} onChange={(e) => setForm({ ...form, [field]: e.target.value })} type={field === 'email' ? 'email' : 'text'} />
            </label>
          ))}
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <div className="row row--end">
            <button type="button" className="button" onClick={() => setCreating(false)}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="button button--primary" disabled={!form.name.trim()}>
              {t('customer.save')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
