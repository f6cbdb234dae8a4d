// Never lose a sale, never make it twice: the network is cut mid-shift, sales complete, a
// reload happens while the server cannot be reached, the network returns, and each sale reaches
// the server exactly once. And the API's coded errors, in the cashier's words.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CASHIER, PRODUCTS, launchBrowser, newPage, startServer } from './harness.mjs';
import {
  ES,
  cartRow,
  eventually,
  expectText,
  newSale,
  openRegister,
  payCash,
  registerSessionId,
  salesOf,
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

const connection = (page) => page.getByRole('status').filter({ hasText: /Conectado|Sin conexión/ });

test('offline mid-shift: sales complete and wait, a reload keeps them, each reaches the server once', async () => {
  const { context, page } = await newPage(chrome.browser, server);
  await page.goto('/');
  await signIn(page, CASHIER);
  await openRegister(page, 'Caja Offline');
  const sessionId = await registerSessionId(page, CASHIER.username);
  // Seen once online: the products the till may sell offline.
  await scan(page, PRODUCTS.sunflowerOil.code);
  await scan(page, PRODUCTS.oliveOil.code);
  await payCash(page, '10');
  await newSale(page);

  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));

  await context.setOffline(true);
  await expectText(connection(page), 'Sin conexión');
  await page.getByRole('textbox', { name: ES.scan }).pressSequentially('girasol', { delay: 20 });
  await visible(page.getByRole('option', { name: /^Aceite de girasol/ }));
  await expectText(page.locator('.results'), 'Sin conexión: se muestran productos ya vistos');
  await page.keyboard.press('Escape');
  await scan(page, PRODUCTS.sunflowerOil.code);
  await visible(cartRow(page, PRODUCTS.sunflowerOil.name));
  await payCash(page, '5');
  await expectText(page.getByRole('dialog', { name: ES.receipt }), /PROV-/);
  await newSale(page);
  await scan(page, PRODUCTS.oliveOil.code);
  await payCash(page, '10');
  await newSale(page);
  await expectText(connection(page), '2 sin sincronizar');
  await page.getByRole('button', { name: ES.closeRegister }).click();
  await expectText(page.getByRole('dialog'), 'Esperando a que 2 ventas lleguen al servidor');
  await page.getByRole('dialog').getByRole('textbox', { name: ES.counted }).fill('100');
  assert.equal(await page.getByRole('button', { name: ES.confirmClose }).isDisabled(), true);
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Salir' }).click();
  await expectText(page.getByRole('dialog'), 'Quedan 2 ventas por enviar');
  await page.keyboard.press('Escape');

  // A reload while offline: the app shell comes from the service worker, the sales from
  // IndexedDB, and selling goes on from the products seen before.
  await page.reload();
  await visible(page.getByRole('textbox', { name: ES.scan }));
  await expectText(connection(page), '2 sin sincronizar');
  await expectText(connection(page), 'Sin conexión');
  // Then the network is back but the server still cannot be reached (its API refused).
  await page.route('**/graphql', (route) => route.abort('internetdisconnected'));
  await context.setOffline(false);
  await page.reload();
  await visible(page.getByRole('textbox', { name: ES.scan }));
  await expectText(connection(page), '2 sin sincronizar');
  assert.equal((await salesOf(server, sessionId)).totalCount, 1);

  await page.unroute('**/graphql');
  await eventually(async () => (await connection(page).textContent())?.includes('Conectado') && !(await connection(page).textContent())?.includes('sin sincronizar'), {
    timeout: 45_000,
    message: 'the outbox drained',
  });
  const sales = await salesOf(server, sessionId);
  assert.equal(sales.totalCount, 3);
  assert.deepEqual(sales.edges.map((e) => e.node.total.amount).sort(), ['2.15', '7.45', '9.60']);
  await page.waitForTimeout(3000);
  assert.equal((await salesOf(server, sessionId)).totalCount, 3, 'no sale twice after more retries');
  await context.close();
});

test('coded errors in words: INSUFFICIENT_STOCK with what is left, REGISTER_CLOSED, RATE_LIMITED', async () => {
  const { context, page } = await newPage(chrome.browser, server);
  await page.goto('/');
  for (let i = 0; i < 6; i++) await signIn(page, { ...CASHIER, username: 'nadie', password: `wrong-${i}` });
  await expectText(page.getByRole('alert'), /Demasiados intentos\. Vuelve a probar dentro de \d+ segundos/);

  await signIn(page, CASHIER);
  await openRegister(page, 'Caja Errores');
  await scan(page, PRODUCTS.outOfStockWater.code);
  await visible(cartRow(page, PRODUCTS.outOfStockWater.name));
  await page.getByRole('button', { name: ES.pay }).click();
  await page.getByRole('button', { name: ES.complete }).click();
  await expectText(page.getByRole('dialog').getByRole('alert'), `No hay stock suficiente de ${PRODUCTS.outOfStockWater.name}: quedan 0`);
  await page.keyboard.press('Escape');
  await cartRow(page, PRODUCTS.outOfStockWater.name).getByRole('button', { name: /Quitar/ }).click();

  const sessionId = await registerSessionId(page, CASHIER.username);
  const closed = await server.gql(server.adminToken, 'mutation($i:CloseRegisterInput!){closeRegister(input:$i){id}}', {
    i: { registerSessionId: sessionId, countedCash: '150.00' },
  });
  assert.ok(closed.data, JSON.stringify(closed.errors));
  await scan(page, PRODUCTS.sunflowerOil.code);
  await page.getByRole('button', { name: ES.pay }).click();
  await page.getByRole('button', { name: ES.complete }).click();
  await expectText(page.getByRole('dialog').getByRole('alert'), 'Esta caja está cerrada');
  await context.close();
});
