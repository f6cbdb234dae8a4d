// What a cashier does, step by step, by role and accessible name (REGISTER-UI.md), in Spanish
// unless a test says otherwise.
import assert from 'node:assert/strict';
import { MANAGER } from './harness.mjs';

export const ES = {
  username: 'Usuario',
  password: 'Contraseña',
  signIn: 'Entrar',
  registerName: 'Nombre de la caja',
  openingFloat: 'Fondo inicial',
  openRegister: 'Abrir caja',
  scan: 'Escanear o buscar',
  quantity: 'Cantidad',
  pay: 'Cobrar',
  cash: 'Efectivo',
  card: 'Tarjeta',
  amount: 'Importe',
  complete: 'Finalizar venta',
  change: 'Cambio',
  receipt: 'Ticket',
  newSale: 'Nueva venta',
  closeRegister: 'Cerrar caja',
  counted: 'Efectivo contado',
  confirmClose: 'Confirmar cierre',
  overShort: 'Diferencia',
};

export const EN = {
  username: 'Username',
  password: 'Password',
  signIn: 'Sign in',
  registerName: 'Register name',
  openingFloat: 'Opening float',
  openRegister: 'Open register',
  scan: 'Scan or search',
  quantity: 'Quantity',
  pay: 'Pay',
  cash: 'Cash',
  card: 'Card',
  amount: 'Amount',
  complete: 'Complete sale',
  change: 'Change',
  receipt: 'Receipt',
  newSale: 'New sale',
  closeRegister: 'Close register',
  counted: 'Counted cash',
  confirmClose: 'Confirm close',
  overShort: 'Over/short',
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check` returns a truthy value (or throws its last error). */
export async function eventually(check, { timeout = 10_000, interval = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${message}${last ? `: ${last.message}` : ''}`);
    await sleep(interval);
  }
}

export async function expectText(locator, pattern, timeout = 10_000) {
  let text = '';
  await eventually(
    async () => {
      text = ((await locator.first().textContent()) ?? '').replace(/[\u00a0\u202f]/g, ' ');
      return pattern instanceof RegExp ? pattern.test(text) : text.includes(pattern);
    },
    { timeout, message: `${pattern} in ${locator}; last text: ${JSON.stringify(text)}` },
  ).catch((error) => {
    throw new Error(`${error.message} (last: ${JSON.stringify(text)})`);
  });
}

export const visible = (locator, timeout = 10_000) => locator.first().waitFor({ state: 'visible', timeout });
export const hidden = (locator, timeout = 10_000) => locator.first().waitFor({ state: 'hidden', timeout });

export async function signIn(page, user, L = ES) {
  await page.getByRole('textbox', { name: L.username }).fill(user.username);
  await page.getByLabel(L.password).fill(user.password);
  await page.getByRole('button', { name: L.signIn }).click();
}

export async function openRegister(page, name, float = '150,00', L = ES) {
  await page.getByRole('textbox', { name: L.registerName }).fill(name);
  await page.getByRole('textbox', { name: L.openingFloat }).fill(float);
  await page.getByRole('button', { name: L.openRegister, exact: true }).click();
  await scanField(page, L).waitFor();
}

export const scanField = (page, L = ES) => page.getByRole('textbox', { name: L.scan });

/** A keyboard-wedge scan: fast digits and Enter. */
export async function scan(page, code) {
  await page.keyboard.type(code, { delay: 5 });
  await page.keyboard.press('Enter');
}

export const cartRow = (page, name) => page.getByRole('row').filter({ hasText: name });

export async function expectFocusOnScan(page, L = ES) {
  await eventually(async () => page.evaluate((label) => document.activeElement?.getAttribute('aria-label') === label, L.scan), {
    message: 'focus back on the scan field',
  });
}

export async function totalText(page) {
  return (await page.getByRole('status', { name: /total/i }).first().textContent()) ?? '';
}

/** Pays the whole sale in cash with the amount typed, and waits for the receipt. */
export async function payCash(page, amount, L = ES) {
  await page.getByRole('button', { name: L.pay }).click();
  await page.getByRole('textbox', { name: L.amount }).fill(amount);
  await page.getByRole('button', { name: L.cash, exact: true }).click();
  await page.getByRole('button', { name: L.complete }).click();
  await visible(page.getByRole('dialog', { name: L.receipt }));
}

export async function newSale(page, L = ES) {
  await page.getByRole('dialog', { name: L.receipt }).getByRole('button', { name: L.newSale }).click();
  await hidden(page.getByRole('dialog', { name: L.receipt }));
  await expectFocusOnScan(page, L);
}

/** The sales of a register session, as a manager sees them on the server. */
export async function salesOf(server, registerSessionId) {
  const manager = await server.login(MANAGER.username, MANAGER.password);
  const r = await server.gql(
    manager,
    'query($f:SaleFilter){sales(filter:$f,first:100){totalCount edges{node{id number total{amount}}}}}',
    { f: { registerSessionId } },
  );
  assert.ok(r.data, JSON.stringify(r.errors));
  return r.data.sales;
}

/** The register session the page sells in (from its storage). */
export async function registerSessionId(page, username) {
  return page.evaluate((u) => JSON.parse(localStorage.getItem(`pos.register.${u}`) ?? 'null')?.sessionId, username);
}

/** Injects axe-core and returns its serious and critical violations. */
export async function axeViolations(page, axeSource) {
  await page.addScriptTag({ content: axeSource });
  const results = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  });
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
