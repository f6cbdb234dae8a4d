// Token refresh across tabs: access tokens live 30 s here, so both tabs need a refresh at the
// same moment; one refresh runs (a Web Lock), the other tab uses its tokens, and the rotated
// refresh token is never presented twice (which would end the session by design).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CASHIER, CASHIER2, MANAGER, PRODUCTS, launchBrowser, startServer } from './harness.mjs';
import { ES, cartRow, expectText, openRegister, payCash, scan, scanField, signIn, visible } from './flows.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let server;
let chrome;

before(async () => {
  server = await startServer({ env: { ACCESS_TOKEN_TTL: '30s' } });
  chrome = await launchBrowser();
});

after(async () => {
  await chrome?.close();
  await server?.stop();
});

test('two tabs refresh an expiring token at once: one refresh, nobody signed out', async () => {
  const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'es-ES', baseURL: server.baseUrl });
  const refreshes = [];
  if (process.env.E2E_DEBUG) {
    context.on('response', async (response) => {
      const body = response.request().postData() ?? '';
      if (body.includes('ProductByCode') || body.includes('RefreshSession')) console.log('RESP', Date.now() % 100000, body.slice(0, 60), (await response.text().catch(() => '')).slice(0, 200));
    });
  }
  context.on('request', (request) => {
    if ((request.postData() ?? '').includes('mutation RefreshSession')) refreshes.push(request.url());
  });
  const first = await context.newPage();
  await first.goto('/');
  await signIn(first, CASHIER);
  await openRegister(first, 'Caja Pestañas');
  const second = await context.newPage();
  await second.goto('/');
  await visible(scanField(second));

  await first.waitForTimeout(11_000); // into the last 20 s of the token: both tabs refresh first
  // While the refresh runs: two scans back to back in one tab, a scan and a search as you type
  // in the other. None of their answers may be lost.
  await Promise.all([
    (async () => {
      await scanField(first).fill(PRODUCTS.sunflowerOil.code);
      await scanField(first).press('Enter');
      await scanField(first).fill(PRODUCTS.sparklingWater.code);
      await scanField(first).press('Enter');
    })(),
    (async () => {
      await scanField(second).fill(PRODUCTS.oliveOil.code);
      await scanField(second).press('Enter');
      await scanField(second).fill('girasol');
      await visible(second.getByRole('option', { name: new RegExp(PRODUCTS.sunflowerOil.name) }));
      await scanField(second).press('Enter');
    })(),
  ]);

  await visible(cartRow(first, PRODUCTS.sunflowerOil.name)).catch(async (error) => {
    if (process.env.E2E_DEBUG) {
      await first.screenshot({ path: '/tmp/auth-first.png' });
      console.log('refreshes', refreshes.length, await first.evaluate(() => document.querySelector('.messages')?.textContent), await first.evaluate(() => document.body.innerText.slice(0, 300)));
    }
    throw error;
  });
  await visible(cartRow(first, PRODUCTS.sparklingWater.name));
  await visible(cartRow(second, PRODUCTS.oliveOil.name));
  await visible(cartRow(second, PRODUCTS.sunflowerOil.name));
  assert.equal(refreshes.length, 1, 'one refresh for both tabs');
  await first.reload();
  await visible(scanField(first));
  await scan(first, PRODUCTS.sunflowerOil.code);
  await payCash(first, '50');
  await expectText(first.getByRole('dialog', { name: ES.receipt }), /MAIN-\d{6}/);
  assert.equal(await second.getByRole('button', { name: ES.signIn }).count(), 0);
  await context.close();
});

test('subscriptions come back with a fresh token after the server was away past the token’s life', async () => {
  const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'es-ES', baseURL: server.baseUrl });
  const page = await context.newPage();
  await page.goto('/');
  await signIn(page, MANAGER);
  await openRegister(page, 'Caja Suscripcion');
  await sleep(1500); // the subscription connects

  await server.stopApi(); // the socket closes; the token expires while the server is away
  await sleep(32_000);
  await server.startApi();
  const admin = await server.login('admin', 'admin-password-1');
  const product = await server.gql(admin, 'query($c:String!){productByCode(code:$c){id}}', { c: PRODUCTS.sparklingWater.code });
  // Once the screen has reconnected (it retries with a capped backoff), stock falls below the threshold.
  await expectText(page.getByRole('status').filter({ hasText: /Conectado|Sin conexión/ }), 'Conectado', 30_000);
  await sleep(16_000);
  const adjusted = await server.gql(admin, 'mutation($i:AdjustStockInput!){adjustStock(input:$i){onHandAfter}}', {
    i: { locationId: server.locationId, productId: product.data.productByCode.id, quantity: '-16', reason: 'ADJUSTMENT' },
  });
  assert.ok(adjusted.data, JSON.stringify(adjusted.errors));

  await expectText(page.locator('.toasts'), `Stock bajo: ${PRODUCTS.sparklingWater.name}, quedan 5`, 15_000);
  await context.close();
});

test('a session ended on the server (user deactivated) sends the cashier back to sign in, saying why', async () => {
  const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'es-ES', baseURL: server.baseUrl });
  const page = await context.newPage();
  await page.goto('/');
  await signIn(page, CASHIER2);
  await openRegister(page, 'Caja Sesion');
  const admin = await server.login('admin', 'admin-password-1');
  const users = await server.gql(admin, '{ users(first: 100) { edges { node { id username } } } }');
  const luis = users.data.users.edges.find((e) => e.node.username === CASHIER2.username).node.id;
  const off = await server.gql(admin, 'mutation($id:ID!){setUserActive(id:$id,active:false){active}}', { id: luis });
  assert.equal(off.data?.setUserActive.active, false, JSON.stringify(off.errors));

  // The next request once the token needs refreshing is refused: back to sign in.
  await sleep(11_000);
  await scan(page, PRODUCTS.oliveOil.code);
  await visible(page.getByRole('button', { name: ES.signIn }), 30_000);
  await expectText(page.locator('.notice'), 'Tu sesión ha terminado');
  await context.close();
});
