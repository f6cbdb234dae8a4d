import { describe, expect, it } from 'vitest';
import en from './en.json';
import es from './es.json';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k)).sort();
}

function placeholders(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [...value.matchAll(/\{\{(\w+)\}\}/g)].map((m) => `${prefix}:${m[1] ?? ''}`).sort();
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => placeholders(v, prefix ? `${prefix}.${k}` : k));
}

describe('translations', () => {
  it('have the same keys in Spanish and English', () => {
    expect(keys(es)).toEqual(keys(en));
  });

  it('use the same placeholders in both languages', () => {
    expect(placeholders(es).sort()).toEqual(placeholders(en).sort());
  });

  it('carry the contract names of REGISTER-UI.md in both languages', () => {
    const names = (t: typeof en) => [t.login.username, t.login.password, t.login.submit, t.open.registerName, t.open.openingFloat, t.open.submit, t.sale.scan, t.sale.quantity, t.sale.total, t.sale.pay, t.tender.cash, t.tender.card, t.tender.amount, t.tender.complete, t.tender.change, t.receipt.title, t.sale.newSale, t.status.offline, t.menu.close, t.close.counted, t.close.confirm, t.close.overShort];

    expect(names(en)).toEqual(['Username', 'Password', 'Sign in', 'Register name', 'Opening float', 'Open register', 'Scan or search', 'Quantity', 'Total', 'Pay', 'Cash', 'Card', 'Amount', 'Complete sale', 'Change', 'Receipt', 'New sale', 'Offline', 'Close register', 'Counted cash', 'Confirm close', 'Over/short']);
    expect(names(es)).toEqual(['Usuario', 'Contraseña', 'Entrar', 'Nombre de la caja', 'Fondo inicial', 'Abrir caja', 'Escanear o buscar', 'Cantidad', 'Total', 'Cobrar', 'Efectivo', 'Tarjeta', 'Importe', 'Finalizar venta', 'Cambio', 'Ticket', 'Nueva venta', 'Sin conexión', 'Cerrar caja', 'Efectivo contado', 'Confirmar cierre', 'Diferencia']);
  });
});
