// What needs a manager, and the cash of a shift: refund and void with a manager's override
// (signed in for that one action, signed out right after), pay-in and pay-out, the X report,
// low-stock alerts live for a manager; customers; hold and recall.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { CASHIER, MANAGER, PRODUCTS, launchBrowser, newPage, startServer } from './harness.mjs';
import {
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
  scan,
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

async function cashierAt(register, user = CASHIER) {
  const { context, page } = await newPage(chrome.browser, server);
  await page.goto('/');
  await signIn(page, user);
  await openRegister(page, register);
  return { context, page };
}

async function sellAndGetNumber(page, codes, cash) {
  for (const code of codes) await scan(page, code);
  await payCash(page, cash);
  const text = (await page.getByRole('dialog', { name: ES.receipt }).locator('pre').textContent()) ?? '';
  await newSale(page);
  return /MAIN-\d{6}/.exec(text)?.[0];
}

/** Counts the Logout mutations the page sends. */
function countLogouts(page) {
  const seen = { count: 0 };
  page.on('request', (request) => {
    if (request.url().endsWith('/graphql') && (request.postData() ?? '').includes('mutation Logout')) seen.count++;
  });
  return seen;
}

async function authorise(dialog) {
  await dialog.getByRole('textbox', { name: 'Usuario del encargado' }).fill(MANAGER.username);
  await dialog.getByLabel('Contraseña del encargado').fill(MANAGER.password);
  await dialog.getByRole('button', { name: 'Autorizar' }).click();
  await expectText(dialog, `Autorizado por ${MANAGER.fullName}`);
}

test('refund with a manager override: lines and quantities, restock; the manager is signed out after', async () => {
  const { context, page } = await cashierAt('Caja Devolucion');
  const number = await sellAndGetNumber(page, [PRODUCTS.sunflowerOil.code, PRODUCTS.sunflowerOil.code, PRODUCTS.oliveOil.code], '20');
  assert.ok(number);
  const logouts = countLogouts(page);

  await page.getByRole('button', { name: 'Devolución' }).click();
  const dialog = page.getByRole('dialog', { name: 'Devolver una venta' });
  await authorise(dialog);
  await dialog.getByRole('textbox', { name: 'Número de venta' }).fill(number);
  await dialog.getByRole('button', { name: 'Buscar venta' }).click();
  await expectText(dialog, 'Estado: completada');
  const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  assert.deepEqual(await axeViolations(page, axe), []);
  await dialog.getByRole('textbox', { name: `Cantidad a devolver de ${PRODUCTS.sunflowerOil.name}` }).fill('1');
  await dialog.getByRole('textbox', { name: 'Motivo' }).fill('Botella rota');
  await dialog.getByRole('button', { name: /Devolver 2,15/ }).click();

  await hidden(dialog);
  await expectText(page.locator('.toasts'), 'Devuelto 2,15');
  await eventually(() => logouts.count === 1, { message: 'the manager signed out' });
  const sale = await server.gql(server.adminToken, 'query($f:SaleFilter){sales(filter:$f){edges{node{status}}}}', { f: { number } });
  assert.equal(sale.data.sales.edges[0].node.status, 'PARTIALLY_REFUNDED');
  await expectFocusOnScan(page);
  await context.close();
});

test('void with a manager override', async () => {
  const { context, page } = await cashierAt('Caja Anular');
  const number = await sellAndGetNumber(page, [PRODUCTS.oliveOil.code], '10');
  const logouts = countLogouts(page);

  await page.getByRole('button', { name: 'Anular' }).click();
  const dialog = page.getByRole('dialog', { name: 'Anular una venta' });
  await authorise(dialog);
  await dialog.getByRole('textbox', { name: 'Número de venta' }).fill(number);
  await dialog.getByRole('button', { name: 'Buscar venta' }).click();
  await dialog.getByRole('textbox', { name: 'Motivo' }).fill('Cliente se arrepiente');
  await dialog.getByRole('button', { name: 'Anular venta' }).click();

  await hidden(dialog);
  await expectText(page.locator('.toasts'), `Venta ${number} anulada`);
  await eventually(() => logouts.count === 1, { message: 'the manager signed out' });
  const sale = await server.gql(server.adminToken, 'query($f:SaleFilter){sales(filter:$f){edges{node{status}}}}', { f: { number } });
  assert.equal(sale.data.sales.edges[0].node.status, 'VOIDED');
  await context.close();
});

test('pay-in and pay-out with a reason, then the X report shows them and the expected cash', async () => {
  const { context, page } = await cashierAt('Caja Efectivo');
  await sellAndGetNumber(page, [PRODUCTS.sunflowerOil.code], '5');

  for (const [kind, amount, reason] of [
    ['Entrada', '20', 'Cambio del banco'],
    ['Salida', '7,50', 'Pago proveedor'],
  ]) {
    await page.getByRole('button', { name: 'Entrada/salida' }).click();
    const dialog = page.getByRole('dialog', { name: 'Entrada o salida de efectivo' });
    await dialog.getByRole('radio', { name: kind }).check();
    await dialog.getByRole('textbox', { name: 'Importe' }).fill(amount);
    await dialog.getByRole('textbox', { name: 'Motivo' }).fill(reason);
    await dialog.getByRole('button', { name: 'Registrar movimiento' }).click();
    await hidden(dialog);
  }

  await page.getByRole('button', { name: 'Informe X' }).click();
  const report = page.getByRole('dialog', { name: 'Informe X' });
  await expectText(report, /Ventas\s*1/);
  await expectText(report, /Ventas brutas\s*2,15/);
  await expectText(report, 'Cambio del banco');
  await expectText(report, /Efectivo esperado\s*164,65/); // 150 + 2.15 + 20 − 7.50
  await page.keyboard.press('Escape');
  await expectFocusOnScan(page);
  await context.close();
});

test('a low-stock alert arrives live for a manager at the register', async () => {
  const { context, page } = await cashierAt('Caja Encargada', MANAGER);
  await page.waitForTimeout(1500); // the subscription connects

  const { onHand, threshold } = PRODUCTS.sparklingWater;
  const product = await server.gql(server.adminToken, 'query($c:String!){productByCode(code:$c){id}}', { c: PRODUCTS.sparklingWater.code });
  const adjusted = await server.gql(server.adminToken, 'mutation($i:AdjustStockInput!){adjustStock(input:$i){onHandAfter}}', {
    i: { locationId: server.locationId, productId: product.data.productByCode.id, quantity: String(threshold - onHand - 1), reason: 'ADJUSTMENT' },
  });
  assert.ok(adjusted.data, JSON.stringify(adjusted.errors));

  await expectText(page.locator('.toasts'), `Stock bajo: ${PRODUCTS.sparklingWater.name}, quedan 5`, 15_000);
  await context.close();
});

test('customer: find and attach one, or create one at checkout; the sale carries it', async () => {
  const { context, page } = await cashierAt('Caja Clientes');
  await scan(page, PRODUCTS.oliveOil.code);

  await page.keyboard.press('F4');
  const dialog = page.getByRole('dialog', { name: 'Cliente' });
  await dialog.getByRole('button', { name: 'Nuevo cliente' }).click();
  await dialog.getByRole('textbox', { name: 'Nombre' }).fill('Bar El Rincón');
  await dialog.getByRole('textbox', { name: 'NIF' }).fill('B12345678');
  await dialog.getByRole('button', { name: 'Guardar cliente' }).click();
  await hidden(dialog);
  await expectText(page.locator('.customer-chip'), 'Bar El Rincón');
  await page.getByRole('button', { name: 'Quitar cliente' }).click();
  await page.getByRole('button', { name: /^Cliente/ }).click();
  await page.getByRole('dialog', { name: 'Cliente' }).getByRole('textbox', { name: 'Buscar un cliente' }).fill('rincon');
  await page.getByRole('button', { name: 'Asignar Bar El Rincón' }).click();
  await expectText(page.locator('.customer-chip'), 'Bar El Rincón');

  const number = await sellAndGetNumber(page, [], '10');
  const sale = await server.gql(server.adminToken, 'query($f:SaleFilter){sales(filter:$f){edges{node{id}}}}', { f: { number } });
  const one = await server.gql(server.adminToken, 'query($id:ID!){sale(id:$id){customer{name}}}', { id: sale.data.sales.edges[0].node.id });
  assert.equal(one.data.sale.customer?.name, 'Bar El Rincón');
  await context.close();
});

test('hold a sale, ring up another, then recall the held one', async () => {
  const { context, page } = await cashierAt('Caja Aparcar');
  await scan(page, PRODUCTS.oliveOil.code);
  await visible(cartRow(page, PRODUCTS.oliveOil.name));

  await page.keyboard.press('F8');
  await hidden(cartRow(page, PRODUCTS.oliveOil.name));
  await sellAndGetNumber(page, [PRODUCTS.sunflowerOil.code], '5');
  await page.getByRole('button', { name: /Recuperar/ }).click();
  await page.getByRole('button', { name: /Recuperar venta de 7,45/ }).click();

  await visible(cartRow(page, PRODUCTS.oliveOil.name));
  await expectText(page.getByRole('status', { name: /total/i }), '7,45');
  await expectFocusOnScan(page);
  await context.close();
});
