import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import en from '../i18n/en.json';
import { describeError } from './errors';

await i18next.init({ lng: 'en', resources: { en: { translation: en } }, interpolation: { escapeValue: false } });
const t = i18next.t.bind(i18next);

describe('coded errors in the cashier’s words', () => {
  it('names the product and what is left for INSUFFICIENT_STOCK', () => {
    const text = describeError(t, { code: 'INSUFFICIENT_STOCK', field: null, extensions: { productId: 'p1', available: '2' } }, { productName: () => 'Milk' });

    expect(text).toBe('Not enough stock of Milk: 2 available.');
  });

  it('says when to retry for RATE_LIMITED', () => {
    const text = describeError(t, { code: 'RATE_LIMITED', field: null, extensions: { retryAfterSeconds: 42 } });

    expect(text).toBe('Too many attempts. Try again in 42 seconds.');
  });

  it('says a closed register is closed', () => {
    expect(describeError(t, { code: 'REGISTER_CLOSED', field: null, extensions: {} })).toBe('This register is closed. Open it again to sell.');
  });

  it('never shows a raw message for a code it does not know', () => {
    expect(describeError(t, { code: 'SOMETHING_NEW', field: null, extensions: {} })).toBe('Something went wrong. Try again.');
  });
});
