// Never lose a sale, never make it twice: the network is cut mid-shift, sales complete, a
// reload happens while the server cannot be reached, the network returns, and each sale reaches
// the server exactly once. And the API's coded errors, in the cashier's words.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { CASHIER, CASHIER2, MANAGER, PRODUCTS, launchBrowser, newPage, startServer } from './harness.mjs';
import {
  ES,
  axeViolations,
  cartRow,
  eventually,
  expectText,
  hidden,
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
  await sellTwoOffline(page);
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
  // An online sale the server refuses is not kept: the cashier fixes the cart.
  assert.equal((await stored(page, 'pos-outbox')).length, 0);
  assert.doesNotMatch((await connection(page).textContent()) ?? '', /sin sincronizar|encargado/);
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

/** The outbox's records (and the discarded ones) as IndexedDB holds them. */
/** Two sales while offline (sunflower oil for 5, olive oil for 10): both wait unsynced. */
async function sellTwoOffline(page) {
  await scan(page, PRODUCTS.sunflowerOil.code);
  await visible(cartRow(page, PRODUCTS.sunflowerOil.name));
  await payCash(page, '5');
  await expectText(page.getByRole('dialog', { name: ES.receipt }), /PROV-/);
  await newSale(page);
  await scan(page, PRODUCTS.oliveOil.code);
  await payCash(page, '10');
  await newSale(page);
  await expectText(connection(page), '2 sin sincronizar');
}

async function stored(page, db) {
  return page.evaluate(
    (name) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const conn = open.result;
          if (!conn.objectStoreNames.contains('sales')) return resolve([]);
          const all = conn.transaction('sales').objectStore('sales').getAll();
          all.onsuccess = () => resolve(all.result);
        };
      }),
    db,
  );
}

async function authorise(dialog) {
  await dialog.getByRole('textbox', { name: 'Usuario del encargado' }).fill(MANAGER.username);
  await dialog.getByLabel('Contraseña del encargado').fill(MANAGER.password);
  await dialog.getByRole('button', { name: 'Autorizar' }).click();
}

test('an offline sale the server refuses is kept for a manager: not retried, counted, blocks the close; sent with the server’s time or discarded with a reason', async () => {
  const { context, page } = await newPage(chrome.browser, server);
  const creates = [];
  const refreshes = [];
  page.on('request', (request) => {
    if ((request.postData() ?? '').includes('mutation CreateSale')) creates.push(Date.now());
    if ((request.postData() ?? '').includes('mutation RefreshSession')) refreshes.push(Date.now());
  });
  await page.goto('/');
  await signIn(page, CASHIER2);
  await openRegister(page, 'Caja Reloj');
  const sessionId = await registerSessionId(page, CASHIER2.username);
  await scan(page, PRODUCTS.sunflowerOil.code);
  await scan(page, PRODUCTS.oliveOil.code);
  await visible(cartRow(page, PRODUCTS.oliveOil.name));
  await page.keyboard.press('F10');

  // The till's clock runs two hours ahead: its offline sales carry a time the server refuses.
  await page.clock.setSystemTime(new Date(Date.now() + 2 * 3600_000));
  await scan(page, PRODUCTS.oliveOil.code); // an answer from the server: the screen learns its clock
  await visible(cartRow(page, PRODUCTS.oliveOil.name));
  await page.keyboard.press('F10');
  const refreshesBefore = refreshes.length;
  await context.setOffline(true);
  await expectText(connection(page), 'Sin conexión');
  await sellTwoOffline(page);

  await context.setOffline(false);
  await expectText(connection(page), '2 ventas necesitan un encargado', 30_000);
  await expectText(page.locator('.toasts'), 'El servidor no acepta la hora de la venta');
  const kept = await stored(page, 'pos-outbox');
  assert.equal(kept.length, 2, 'both sales still in IndexedDB');
  assert.ok(kept.every((r) => r.refused?.field === 'occurredAt'));
  assert.equal((await salesOf(server, sessionId)).totalCount, 0);
  // Not sent again by itself (the sender polls every 2 s).
  const sends = creates.length;
  await page.waitForTimeout(5000);
  assert.equal(creates.length, sends, 'a refused sale is not retried automatically');

  // Closing waits for a manager's decision.
  const dismiss = page.locator('.toasts').getByRole('button', { name: 'OK' });
  while ((await dismiss.count()) > 0) await dismiss.first().click({ timeout: 2000 }).catch(() => undefined);
  await page.getByRole('button', { name: ES.closeRegister }).click();
  const closing = page.getByRole('dialog', { name: 'Cerrar la caja' });
  await expectText(closing, '2 ventas rechazadas por el servidor necesitan un encargado antes de cerrar');
  await closing.getByRole('textbox', { name: ES.counted }).fill('150');
  assert.equal(await closing.getByRole('button', { name: ES.confirmClose }).isDisabled(), true);
  await closing.getByRole('button', { name: 'Revisar' }).click();

  const review = page.getByRole('dialog', { name: 'Ventas que necesitan un encargado' });
  const [first, second] = kept.map((r) => review.getByRole('region', { name: r.receipt.reference }));
  await expectText(first, 'El servidor no acepta la hora de la venta');
  const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  assert.deepEqual(await axeViolations(page, axe), []);
  // Sent again as it is, the till's time is still refused.
  await first.getByRole('button', { name: 'Volver a enviar' }).click();
  await expectText(review.getByRole('alert'), 'El servidor la ha vuelto a rechazar');
  assert.equal((await stored(page, 'pos-outbox')).length, 2);

  // A manager has it recorded at the server's time.
  await first.getByRole('button', { name: 'Enviar con la hora del servidor' }).click();
  await authorise(first);
  await expectText(review.getByRole('status'), /enviada: MAIN-\d{6}/);
  const manager = await server.login(MANAGER.username, MANAGER.password);
  const recorded = await server.gql(manager, 'query($f:SaleFilter){sales(filter:$f,first:10){edges{node{offline note total{amount}}}}}', { f: { registerSessionId: sessionId } });
  const sales = recorded.data.sales.edges.map((e) => e.node);
  assert.equal(sales.length, 1);
  assert.equal(sales[0].offline, true);
  assert.match(sales[0].note, new RegExp(kept[0].occurredAt.slice(0, 16)));

  // The other one a manager discards, with a reason.
  await second.getByRole('button', { name: 'Descartar…' }).click();
  await authorise(second);
  await visible(second.getByRole('textbox', { name: 'Motivo del descarte' }));
  assert.deepEqual(await axeViolations(page, axe), []);
  await second.getByRole('textbox', { name: 'Motivo del descarte' }).fill('El cliente devolvió la compra en el momento');
  await second.getByRole('button', { name: 'Descartar la venta' }).click();
  await expectText(review, 'No queda ninguna venta pendiente de un encargado');
  assert.equal((await stored(page, 'pos-outbox')).length, 0);
  const discarded = await stored(page, 'pos-outbox-discarded');
  assert.equal(discarded.length, 1);
  assert.equal(discarded[0].reason, 'El cliente devolvió la compra en el momento');
  assert.equal(discarded[0].manager, MANAGER.fullName);
  assert.equal(discarded[0].record.key, kept[1].key);
  assert.equal((await salesOf(server, sessionId)).totalCount, 1);

  await page.keyboard.press('Escape');
  await hidden(review);
  await expectText(connection(page), 'Conectado');
  assert.equal(((await connection(page).textContent()) ?? '').includes('encargado'), false);
  await page.getByRole('button', { name: ES.closeRegister }).click();
  await page.getByRole('dialog').getByRole('textbox', { name: ES.counted }).fill('150');
  await page.getByRole('button', { name: ES.confirmClose }).click();
  await expectText(page.getByRole('dialog'), ES.overShort);
  // Token expiry is judged on the server's clock: a till two hours ahead does not refresh
  // before every request.
  assert.equal(refreshes.length, refreshesBefore);
  await context.close();
});

test('an answer lost after the server made the sale: the retry gets that sale back, made once', async () => {
  const { context, page } = await newPage(chrome.browser, server);
  await page.goto('/');
  await signIn(page, CASHIER);
  await openRegister(page, 'Caja Respuesta');
  const sessionId = await registerSessionId(page, CASHIER.username);
  // The first createSale reaches the server, which makes the sale; its answer never arrives.
  let lost = 0;
  const answers = [];
  page.on('response', async (response) => {
    if ((response.request().postData() ?? '').includes('mutation CreateSale')) answers.push(JSON.parse(await response.text()));
  });
  await page.route('**/graphql', async (route) => {
    if (lost === 0 && (route.request().postData() ?? '').includes('mutation CreateSale')) {
      lost++;
      await route.fetch();
      await route.abort('connectionreset');
      return;
    }
    await route.continue();
  });
  await scan(page, PRODUCTS.sunflowerOil.code);
  await payCash(page, '5');
  await expectText(page.getByRole('dialog', { name: ES.receipt }), /PROV-/);
  await newSale(page);
  // The retry goes as an offline sale (with the till's time and the same key): the server
  // answers with the sale it already made.
  await expectText(page.locator('.toasts'), /Venta MAIN-\d{6} enviada/, 20_000);
  assert.equal(lost, 1);
  assert.equal(answers.length, 1);
  assert.equal((await stored(page, 'pos-outbox')).length, 0);
  const sales = await salesOf(server, sessionId);
  assert.equal(sales.totalCount, 1);
  assert.equal(answers[0].data?.createSale?.number, sales.edges[0].node.number);
  await expectText(page.locator('.last-sale'), sales.edges[0].node.number);
  await context.close();
});
