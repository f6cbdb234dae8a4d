// The receipt of a sale the server has not seen yet, written by the till in the receipt's
// 42 columns, with a provisional reference in place of the sale's number.
import type { ProvisionalReceipt } from '../outbox/outbox';

export interface ReceiptLabels {
  provisional: string;
  reference: string;
  date: string;
  register: string;
  cashier: string;
  total: string;
  tax: string;
  change: string;
  customer: string;
  methods: Record<string, string>;
}

const WIDTH = 42;

function row(left: string, right: string): string {
  const space = Math.max(1, WIDTH - left.length - right.length);
  if (left.length + right.length + 1 > WIDTH) return `${left}\n${' '.repeat(Math.max(0, WIDTH - right.length))}${right}`;
  return `${left}${' '.repeat(space)}${right}`;
}

function center(text: string): string {
  const pad = Math.max(0, Math.floor((WIDTH - text.length) / 2));
  return `${' '.repeat(pad)}${text}`;
}

export function provisionalReceiptText(receipt: ProvisionalReceipt, labels: ReceiptLabels, when: string): string {
  const rule = '-'.repeat(WIDTH);
  const out = [
    center(labels.provisional.toUpperCase()),
    rule,
    row(labels.reference, receipt.reference),
    row(labels.date, when),
    row(labels.register, receipt.registerName),
    row(labels.cashier, receipt.cashier),
  ];
  if (receipt.customer) out.push(row(labels.customer, receipt.customer));
  out.push(rule);
  for (const line of receipt.lines) out.push(row(`${line.quantity} x ${line.name}`.slice(0, 60), line.total));
  out.push(rule, row(labels.total.toUpperCase(), `${receipt.total} ${receipt.currency}`), row(labels.tax, receipt.taxTotal));
  for (const p of receipt.payments) out.push(row(labels.methods[p.method] ?? p.method, p.amount));
  if (receipt.change !== '0.00' && receipt.change !== '0') out.push(row(labels.change, receipt.change));
  return out.join('\n');
}
