// Why the server refused a sale completed offline, in the cashier's words.
import type { TFunction } from 'i18next';
import { describeError } from '../lib/errors';
import type { OutboxRecord } from './outbox';

export function refusalText(t: TFunction, record: OutboxRecord, locale: string): string {
  const refused = record.refused;
  if (!refused) return '';
  if (refused.field === 'occurredAt') {
    const time = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' }).format(new Date(record.occurredAt));
    return t('errors.occurredAt', { time });
  }
  // The input's lines and the receipt's are in the same order: a product is named by its line.
  const productName = (id: string) => {
    const index = record.input.lines.findIndex((l) => l.productId === id);
    return record.receipt.lines[index]?.name ?? null;
  };
  return describeError(t, { code: refused.code, field: refused.field, extensions: refused.extensions }, { productName });
}
