// The receipt of a sale the server has not seen yet, written by the till the way the server
// writes its own (42 columns, the shop's details on top, amounts in the receipt language's
// digits), with a provisional reference in place of the sale's number and a line saying it is
// not the invoice yet.
import type { ProvisionalReceipt } from '../outbox/outbox';

export interface ReceiptLabels {
  provisional: string;
  taxId: string;
  date: string;
  register: string;
  cashier: string;
  total: string;
  taxIncluded: string;
  tax: string;
  change: string;
  customer: string;
  pending: string;
  footer: string;
  methods: Record<string, string>;
}

/** What the shop prints on top of its receipts (the location's details; null when not set). */
export interface ReceiptShop {
  name: string;
  legalName?: string | null;
  taxId?: string | null;
  address?: string | null;
  receiptFooter?: string | null;
}

export interface ReceiptFormat {
  /** The receipt language's locale: its digits ("7,45" in Spanish). */
  locale: string;
  /** When the till completed the sale, already written for the receipt. */
  when: string;
}

export const WIDTH = 42;

function row(left: string, right: string): string {
  if (left.length + right.length + 1 > WIDTH) return `${left}\n${' '.repeat(Math.max(0, WIDTH - right.length))}${right}`;
  return `${left}${' '.repeat(WIDTH - left.length - right.length)}${right}`;
}

function center(text: string): string {
  const pad = Math.max(0, Math.floor((WIDTH - text.length) / 2));
  return `${' '.repeat(pad)}${text}`;
}

/** Words wrapped into lines of at most 42 columns, each centred. */
function centred(text: string): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > WIDTH) {
        lines.push(center(line));
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) lines.push(center(line.slice(0, WIDTH)));
  }
  return lines;
}

/** A decimal string ("7.45", "0.642") in the locale's digits, without grouping, as the server prints. */
function digits(decimal: string, locale: string, minimumFractionDigits: number): string {
  const formatter = new Intl.NumberFormat(locale, { minimumFractionDigits, maximumFractionDigits: 3, useGrouping: false });
  return formatter.format(decimal as Intl.StringNumericLiteral);
}

/** The receipt's date as the server writes it: 04/12/2026 18:01 (Spanish), 2026-12-04 18:01 (English). */
export function receiptDate(at: Date, language: 'es' | 'en'): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const day = two(at.getDate());
  const month = two(at.getMonth() + 1);
  const time = `${two(at.getHours())}:${two(at.getMinutes())}`;
  return language === 'en' ? `${at.getFullYear()}-${month}-${day} ${time}` : `${day}/${month}/${at.getFullYear()} ${time}`;
}

export function provisionalReceiptText(receipt: ProvisionalReceipt, shop: ReceiptShop | null, labels: ReceiptLabels, format: ReceiptFormat): string {
  const rule = '-'.repeat(WIDTH);
  const money = (decimal: string) => digits(decimal, format.locale, 2);
  const out: string[] = [];
  if (shop) {
    out.push(...centred(shop.name));
    if (shop.legalName) out.push(...centred(shop.legalName));
    if (shop.taxId) out.push(center(`${labels.taxId} ${shop.taxId}`));
    if (shop.address) out.push(...centred(shop.address));
    out.push(rule);
  }
  out.push(row(labels.provisional.toUpperCase(), receipt.reference), row(labels.date, format.when), row(labels.register, receipt.registerName), row(labels.cashier, receipt.cashier));
  if (receipt.customer) out.push(row(labels.customer, receipt.customer));
  out.push(rule);
  for (const line of receipt.lines) {
    out.push(row(line.name.slice(0, WIDTH - 12), money(line.total)));
    if (line.unitPrice !== undefined) out.push(`  ${digits(line.quantity, format.locale, 0)} x ${money(line.unitPrice)}`);
  }
  out.push(rule, row(`${labels.total.toUpperCase()} ${receipt.currency}`, money(receipt.total)), row(labels.taxIncluded, money(receipt.taxTotal)), rule);
  for (const p of receipt.payments) out.push(row(labels.methods[p.method] ?? p.method, money(p.amount)));
  if (Number(receipt.change) !== 0) out.push(row(labels.change, money(receipt.change)));
  out.push(rule, ...centred(labels.pending), '', ...centred(shop?.receiptFooter ?? labels.footer));
  return out.join('\n');
}
