// The cashier's core loop against a real pos-api: sign in, open, scan, search, cart, tender,
// receipt, reprint, close.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CASHIER, PRODUCTS, launchBrowser, newPage, startServer } from './harness.mjs';
import {
  EN,
  ES,
  axeViolations,
  cartRow,
  eventually,
  expectFocusOnScan,
  expectText,
  hidden,
  newSale,
  openRegister,
  payCash,
  registerSessionId,
  salesOf,
  scan,
  scanField,
  signIn,
  visible,
} from './flows.mjs';

let server;
let chrome;

before(async () => {
  server = await startServer();
  chrome = await launchBrowser();
});

after(async () => {
  await chrome?.close();
  await server?.stop();
});

async function cashierAt(register, lang = 'es') {
  const { context, page } = await newPage(chrome.browser, server, { lang });
  await page.goto('/');
  await signIn(page, CASHIER, lang === 'en' ? EN : ES);
  await openRegister(page, register, '150,00', lang === 'en' ? EN : ES);
  return { context, page };
}

test('sign in: a wrong password is said in words, the right one opens the register screen', async () => {
  const { context, page } = await newPage(chrome.browser, server);
  await page.goto('/');

  await signIn(page, { ...CASHIER, password: 'wrong-password' });
  await expectText(page.getByRole('alert'), 'Usuario o contraseña incorrectos');
  await signIn(page, CASHIER);

  await visible(page.getByRole('textbox', { name: ES.openingFloat }));
  await context.close();
});

test('open register, and resume it after a reload', async () => {
  const { context, page } = await cashierAt('Caja Reanudar');
  await scan(page, PRODUCTS.sunflowerOil.code);
  await visible(cartRow(page, PRODUCTS.sunflowerOil.name));

  await page.reload();

  await visible(scanField(page));
  await visible(cartRow(page, PRODUCTS.sunflowerOil.name));
  await expectText(page.locator('.topbar'), 'Caja Reanudar');
  await context.close();
});

test('scan with a keyboard wedge: a repeat increments, an unknown code does not block the next scan', async () => {
  const { context, page } = await cashierAt('Caja Escaner');

  await scan(page, PRODUCTS.sunflowerOil.code);
  await scan(page, PRODUCTS.sunflowerOil.code);
  await scan(page, '0000000000000');
  await scan(page, PRODUCTS.oliveOil.code);

  const row = cartRow(page, PRODUCTS.sunflowerOil.name);
  await eventually(async () => (await row.getByRole('textbox', { name: ES.quantity }).inputValue()) === '2', { message: 'quantity 2' });
  await expectText(page.locator('.messages'), 'Código desconocido 0000000000000');
  await visible(cartRow(page, PRODUCTS.oliveOil.name));
  await expectText(page.getByRole('status', { name: /total/i }), '11,75');
  await expectFocusOnScan(page);
  await context.close();
});

test('search as you type, walk the results with the arrow keys, Enter adds', async () => {
  const { context, page } = await cashierAt('Caja Busqueda');

  await scanField(page).pressSequentially('aceite oliva', { delay: 20 });
  const list = page.getByRole('listbox');
  await visible(list);
  await visible(list.getByRole('option', { name: /^Aceite de oliva/ }));
  const second = (await list.getByRole('option').nth(1).textContent()) ?? '';
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');

  await hidden(list);
  const name = second.replace(/DEMO-\d+.*$/, '').trim();
  await visible(cartRow(page, name));
  await expectFocusOnScan(page);
  await context.close();
});

test('cart: a weighed quantity takes decimals, a UNIT one only whole numbers; discounts; remove', async () => {
  const { context, page } = await cashierAt('Caja Carrito');
  await scan(page, PRODUCTS.avocado.code);
  await scan(page, PRODUCTS.oliveOil.code);
  const avocado = cartRow(page, PRODUCTS.avocado.name);
  const oil = cartRow(page, PRODUCTS.oliveOil.name);
  await visible(oil);

  await avocado.getByRole('textbox', { name: ES.quantity }).fill('0,375');
  await page.keyboard.press('Enter');
  await expectText(avocado, '1,68'); // 0.375 × 4.49 = 1.68375 → 1.68
  await oil.getByRole('textbox', { name: ES.quantity }).fill('1,5');
  await page.keyboard.press('Enter');
  await expectText(oil.getByRole('alert'), 'solo números enteros');
  await oil.getByRole('textbox', { name: ES.quantity }).fill('2');
  await page.keyboard.press('Enter');
  await expectText(oil, '14,90');

  await oil.getByRole('button', { name: /Descuento/ }).click();
  await page.getByRole('dialog').getByRole('textbox').fill('10');
  await page.getByRole('button', { name: 'Aplicar descuento' }).click();
  await expectText(oil, '13,41'); // 14.90 − 1.49
  await avocado.getByRole('button', { name: /Descuento/ }).click();
  await page.getByRole('radio', { name: /Importe a descontar/ }).check();
  await page.getByRole('dialog').getByRole('textbox').fill('0,18');
  await page.getByRole('button', { name: 'Aplicar descuento' }).click();
  await expectText(avocado, '1,50');
  await expectText(page.getByRole('status', { name: /total/i }), '14,91');

  await avocado.getByRole('button', { name: /Quitar/ }).click();
  await hidden(avocado);
  await expectText(page.getByRole('status', { name: /total/i }), '13,41');
  await expectFocusOnScan(page);
  await context.close();
});

test('split tender: card capped at what is due, cash gives change; receipt with the sale number; reprint', async () => {
  const { context, page } = await cashierAt('Caja Cobro');
  await scan(page, PRODUCTS.oliveOil.code);
  await scan(page, PRODUCTS.sunflowerOil.code);
  await expectText(page.getByRole('status', { name: /total/i }), '9,60');

  await page.keyboard.press('F9');
  const tender = page.getByRole('dialog', { name: 'Cobro' });
  await tender.getByRole('textbox', { name: ES.amount }).fill('50');
  await tender.getByRole('button', { name: ES.card, exact: true }).click();
  await expectText(tender.getByRole('status'), 'no puede pagar más de lo debido');
  await tender.getByRole('button', { name: /Quitar pago/ }).click();
  await tender.getByRole('textbox', { name: ES.amount }).fill('5');
  await tender.getByRole('button', { name: ES.card, exact: true }).click();
  await tender.getByRole('textbox', { name: ES.amount }).fill('10');
  await tender.getByRole('button', { name: ES.cash, exact: true }).click();
  await tender.getByRole('button', { name: ES.complete }).click();

  const receipt = page.getByRole('dialog', { name: ES.receipt });
  await visible(receipt);
  await expectText(receipt, /Cambio\s*5,40/);
  const text = (await receipt.locator('pre').textContent()) ?? '';
  const number = /MAIN-\d{6}/.exec(text)?.[0];
  assert.ok(number, `a sale number in the receipt: ${text}`);
  const sessionId = await registerSessionId(page, CASHIER.username);
  const sales = await salesOf(server, sessionId);
  assert.equal(sales.totalCount, 1);
  assert.equal(sales.edges[0].node.total.amount, '9.60');
  await newSale(page);

  await page.getByRole('button', { name: 'Reimprimir' }).click();
  await page.getByRole('button', { name: new RegExp(`Reimprimir ${number}`) }).click();
  await expectText(page.getByRole('dialog', { name: ES.receipt }).locator('pre'), number);
  await page.keyboard.press('Escape');
  await expectFocusOnScan(page);
  await context.close();
});

test('keyboard only: scan, F9 to pay, type the cash and Enter, F10 for the next sale', async () => {
  const { context, page } = await cashierAt('Caja Teclado');
  await scan(page, PRODUCTS.oliveOil.code);
  await expectText(page.getByRole('status', { name: /total/i }), '7,45');

  await page.keyboard.press('F9');
  await visible(page.getByRole('textbox', { name: ES.amount }));
  await page.keyboard.type('10');
  await page.keyboard.press('Enter');
  const receipt = page.getByRole('dialog', { name: ES.receipt });
  await visible(receipt);
  await expectText(receipt, /Cambio\s*2,55/);
  await page.keyboard.press('F10');

  await hidden(receipt);
  await expectFocusOnScan(page);
  await scan(page, PRODUCTS.sunflowerOil.code);
  await expectText(page.getByRole('status', { name: /total/i }), '2,15');
  await context.close();
});

test('a scan while the receipt shows starts the next sale with that product', async () => {
  const { context, page } = await cashierAt('Caja Siguiente');
  await scan(page, PRODUCTS.oliveOil.code);
  await payCash(page, '10');

  await scan(page, PRODUCTS.sunflowerOil.code);

  await hidden(page.getByRole('dialog', { name: ES.receipt }));
  await visible(cartRow(page, PRODUCTS.sunflowerOil.name));
  assert.equal(await cartRow(page, PRODUCTS.oliveOil.name).count(), 0);
  await expectFocusOnScan(page);
  await context.close();
});

test('close the register with a blind count: expected and over/short only after confirming', async () => {
  const { context, page } = await cashierAt('Caja Cierre');
  await scan(page, PRODUCTS.sunflowerOil.code);
  await payCash(page, '5');
  await newSale(page);

  await page.getByRole('button', { name: ES.closeRegister }).click();
  const dialog = page.getByRole('dialog');
  await visible(dialog.getByRole('textbox', { name: ES.counted }));
  assert.equal(await dialog.getByText(ES.overShort).count(), 0);
  assert.equal(await dialog.getByText('Efectivo esperado').count(), 0);
  await dialog.getByRole('textbox', { name: ES.counted }).fill('150,00');
  await dialog.getByRole('button', { name: ES.confirmClose }).click();

  await expectText(page.getByRole('dialog'), /Efectivo esperado\s*152,15/);
  await expectText(page.getByRole('dialog'), /Diferencia\s*-2,15/);
  await page.getByRole('button', { name: 'Terminar' }).click();
  await visible(page.getByRole('textbox', { name: ES.openingFloat }));
  await context.close();
});

test('language: Spanish from the browser, switched to English on the screen, forced by ?lang=', async () => {
  const { context, page } = await newPage(chrome.browser, server, { lang: 'es' });
  await page.goto('/');
  await visible(page.getByRole('button', { name: ES.signIn }));

  await page.getByRole('button', { name: 'English' }).click();
  await visible(page.getByRole('button', { name: EN.signIn }));
  await signIn(page, CASHIER, EN);
  await openRegister(page, 'Till Lang', '100.00', EN);
  await scan(page, PRODUCTS.oliveOil.code);
  await expectText(page.getByRole('status', { name: /total/i }), '€7.45');
  await page.getByRole('button', { name: 'Español' }).click();
  await expectText(page.getByRole('status', { name: /total/i }), '7,45 €');
  await page.goto('/?lang=en');
  await visible(page.getByRole('button', { name: EN.pay }));
  await context.close();
});

test('accessibility: axe finds no serious or critical violation on the main screens', async () => {
  const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const { context, page } = await newPage(chrome.browser, server);
  await page.goto('/');
  const found = [];
  found.push(...(await axeViolations(page, axe)));
  await signIn(page, CASHIER);
  await visible(page.getByRole('textbox', { name: ES.openingFloat }));
  found.push(...(await axeViolations(page, axe)));
  await openRegister(page, 'Caja Axe');
  await scan(page, PRODUCTS.oliveOil.code);
  await visible(cartRow(page, PRODUCTS.oliveOil.name));
  found.push(...(await axeViolations(page, axe)));
  await page.getByRole('button', { name: ES.pay }).click();
  found.push(...(await axeViolations(page, axe)));
  await page.getByRole('button', { name: ES.complete }).click();
  await visible(page.getByRole('dialog', { name: ES.receipt }));
  found.push(...(await axeViolations(page, axe)));
  await page.keyboard.press('F10');
  for (const [button, dialog] of [
    ['Informe X', 'Informe X'],
    ['Devolución', 'Devolver una venta'],
    ['Entrada/salida', 'Entrada o salida de efectivo'],
    [ES.closeRegister, 'Cerrar la caja'],
  ]) {
    await page.getByRole('button', { name: button, exact: true }).click();
    await visible(page.getByRole('dialog', { name: dialog }));
    await page.waitForTimeout(300);
    found.push(...(await axeViolations(page, axe)));
    await page.keyboard.press('Escape');
    await hidden(page.getByRole('dialog'));
  }

  assert.deepEqual(found, []);
  await context.close();
});

test('touch targets: every button and field of the sale screen is at least 44 px', async () => {
  const { context, page } = await cashierAt('Caja Tactil');
  await scan(page, PRODUCTS.oliveOil.code);
  await visible(cartRow(page, PRODUCTS.oliveOil.name));

  const small = await page.evaluate(() =>
    [...document.querySelectorAll('button, input, select')]
      .filter((el) => el.offsetParent !== null)
      .map((el) => ({ name: el.getAttribute('aria-label') ?? el.textContent, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.width < 44 || box.height < 44)
      .map(({ name, box }) => `${name} ${Math.round(box.width)}x${Math.round(box.height)}`),
  );

  assert.deepEqual(small, []);
  await context.close();
});

