// The main screens at 1280×800, in Spanish and English, into docs/screenshots/: sign in, a sale
// with its cart, tender, the receipt (the server's simplified invoice, in the shop's language),
// the X report, a refund with a manager's override, offline selling, a refused offline sale
// waiting for a manager, and the close. Run with `npm run screenshots`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CASHIER, MANAGER, PRODUCTS, WEB_DIR, launchBrowser, newPage, startServer } from './harness.mjs';
import { EN, ES, cartRow, expectText, hidden, newSale, openRegister, scan, scanField, signIn, visible } from './flows.mjs';

const OUT = join(WEB_DIR, '..', 'docs', 'screenshots');
mkdirSync(OUT, { recursive: true });

/** What the demo shop's receipts show (an ADMIN sets it with updateLocation). */
const SHOP = {
  name: "Supermercado O'data",
  legalName: "O'data Alimentación S.L.",
  taxId: 'B12345674',
  address: 'Calle Mayor 1, 28013 Madrid',
};

/** Per language: the words the screenshots click that flows.mjs does not name. */
const MORE = {
  es: {
    xReport: 'Informe X', refund: 'Devolución', refundTitle: 'Devolver una venta', saleNumber: 'Número de venta', findSale: 'Buscar venta',
    refundQuantity: (name) => `Cantidad a devolver de ${name}`, reason: 'Motivo', manager: 'Usuario del encargado', managerPassword: 'Contraseña del encargado',
    authorise: 'Autorizar', cashMenu: 'Entrada/salida', cashTitle: 'Entrada o salida de efectivo', payIn: 'Entrada', record: 'Registrar movimiento',
    payInReason: 'Cambio del banco', needsManager: /necesita un encargado/, review: 'Revisar', reviewTitle: 'Ventas que necesitan un encargado',
    discard: 'Descartar…', discardReason: 'Motivo del descarte', discardConfirm: 'Descartar la venta', discardWhy: 'Venta de prueba de la caja',
    refundWhy: 'Botella rota',
  },
  en: {
    xReport: 'X report', refund: 'Refund', refundTitle: 'Refund a sale', saleNumber: 'Sale number', findSale: 'Find sale',
    refundQuantity: (name) => `Refund quantity of ${name}`, reason: 'Reason', manager: 'Manager username', managerPassword: 'Manager password',
    authorise: 'Authorise', cashMenu: 'Money in/out', cashTitle: 'Money in or out', payIn: 'Pay in', record: 'Record movement',
    payInReason: 'Change from the bank', needsManager: /needs a manager/, review: 'Review', reviewTitle: 'Sales that need a manager',
    discard: 'Discard…', discardReason: 'Reason for discarding', discardConfirm: 'Discard the sale', discardWhy: 'A test sale on the till',
    refundWhy: 'Broken bottle',
  },
};

const server = await startServer();
const chrome = await launchBrowser();
try {
  for (const lang of ['es', 'en']) {
    const L = lang === 'en' ? EN : ES;
    const M = MORE[lang];
    // The receipts follow the shop's language: Spanish for the Spanish pictures, English for the English ones.
    const updated = await server.gql(server.adminToken, 'mutation($id:ID!,$i:UpdateLocationInput!){updateLocation(id:$id,input:$i){id}}', {
      id: server.locationId,
      i: { ...SHOP, language: lang === 'en' ? 'EN' : 'ES' },
    });
    if (!updated.data) throw new Error(`updateLocation: ${JSON.stringify(updated.errors)}`);
    // Toasts come and go; the pictures show the screen without them.
    const shot = async (page, name) => {
      const hide = await page.addStyleTag({ content: '.toasts { visibility: hidden; }' });
      await page.screenshot({ path: join(OUT, `${name}-${lang}.png`) });
      await hide.evaluate((style) => style.remove());
    };
    const { context, page } = await newPage(chrome.browser, server, { lang });
    await page.goto('/');
    await visible(page.getByRole('button', { name: L.signIn }));
    await page.getByRole('textbox', { name: L.username }).fill(CASHIER.username);
    await shot(page, '1-login');
    await signIn(page, CASHIER, L);
    await page.getByRole('textbox', { name: L.registerName }).fill(lang === 'en' ? 'Till 2' : 'Caja 2');
    await page.getByRole('textbox', { name: L.openingFloat }).fill(lang === 'en' ? '150.00' : '150,00');
    await shot(page, '1b-open-register');
    await openRegister(page, lang === 'en' ? 'Till 2' : 'Caja 2', lang === 'en' ? '150.00' : '150,00', L);

    for (const code of [PRODUCTS.oliveOil.code, PRODUCTS.sunflowerOil.code, PRODUCTS.sunflowerOil.code, '8400070041446', '8400070054392']) {
      await scan(page, code);
    }
    await scan(page, PRODUCTS.avocado.code);
    const avocado = cartRow(page, PRODUCTS.avocado.name);
    await avocado.getByRole('textbox', { name: L.quantity }).fill(lang === 'en' ? '0.642' : '0,642');
    await page.keyboard.press('Enter');
    await visible(cartRow(page, 'Aceitunas'));
    await scanField(page, L).pressSequentially(lang === 'en' ? 'agua' : 'cafe', { delay: 30 });
    await visible(page.getByRole('listbox'));
    await page.waitForTimeout(300);
    await shot(page, '2-sale-search');
    await page.keyboard.press('Escape');
    await page.mouse.move(0, 0);
    await shot(page, '3-sale-cart');

    await page.getByRole('button', { name: L.pay }).click();
    const tender = page.getByRole('dialog');
    await tender.getByRole('textbox', { name: L.amount }).fill('10');
    await tender.getByRole('button', { name: L.card, exact: true }).click();
    await tender.getByRole('textbox', { name: L.amount }).fill('20');
    await page.mouse.move(0, 0);
    await shot(page, '4-tender');
    await tender.getByRole('button', { name: L.cash, exact: true }).click();
    await tender.getByRole('button', { name: L.complete }).click();
    await visible(page.getByRole('dialog', { name: L.receipt }));
    await page.mouse.move(0, 0);
    await shot(page, '5-receipt');
    const receipt = (await page.getByRole('dialog', { name: L.receipt }).locator('pre').textContent()) ?? '';
    const number = /MAIN-\d{6}/.exec(receipt)?.[0] ?? '';
    await newSale(page, L);

    // Money in, then the X report.
    await page.getByRole('button', { name: M.cashMenu }).click();
    const cash = page.getByRole('dialog', { name: M.cashTitle });
    await cash.getByRole('radio', { name: M.payIn }).check();
    await cash.getByRole('textbox', { name: L.amount }).fill('20');
    await cash.getByRole('textbox', { name: M.reason }).fill(M.payInReason);
    await cash.getByRole('button', { name: M.record }).click();
    await hidden(cash);
    await page.getByRole('button', { name: M.xReport }).click();
    await visible(page.getByRole('dialog', { name: M.xReport }));
    await page.mouse.move(0, 0);
    await shot(page, '10-x-report');
    await page.keyboard.press('Escape');
    await hidden(page.getByRole('dialog'));

    // A refund: a manager authorises, finds the sale, picks a line.
    await page.getByRole('button', { name: M.refund, exact: true }).click();
    const refund = page.getByRole('dialog', { name: M.refundTitle });
    await refund.getByRole('textbox', { name: M.manager }).fill(MANAGER.username);
    await refund.getByLabel(M.managerPassword).fill(MANAGER.password);
    await refund.getByRole('button', { name: M.authorise }).click();
    await refund.getByRole('textbox', { name: M.saleNumber }).fill(number);
    await refund.getByRole('button', { name: M.findSale }).click();
    await refund.getByRole('textbox', { name: M.refundQuantity(PRODUCTS.sunflowerOil.name) }).fill('1');
    await refund.getByRole('textbox', { name: M.reason }).fill(M.refundWhy);
    await page.mouse.move(0, 0);
    await shot(page, '11-refund');
    await page.keyboard.press('Escape');
    await hidden(refund);

    // Offline: the sale completes with a provisional receipt and waits in the outbox.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await context.setOffline(true);
    const connection = page.getByRole('status').filter({ hasText: lang === 'en' ? /Online|Offline/ : /Conectado|Sin conexión/ });
    await expectText(connection, lang === 'en' ? 'Offline' : 'Sin conexión');
    await scan(page, PRODUCTS.oliveOil.code);
    await scan(page, PRODUCTS.sunflowerOil.code);
    await page.getByRole('button', { name: L.pay }).click();
    await page.getByRole('textbox', { name: L.amount }).fill('20');
    await page.getByRole('button', { name: L.cash, exact: true }).click();
    await page.getByRole('button', { name: L.complete }).click();
    await visible(page.getByRole('dialog', { name: L.receipt }));
    await page.mouse.move(0, 0);
    await shot(page, '8-offline-receipt');
    await newSale(page, L);
    await scan(page, PRODUCTS.oliveOil.code);
    await page.mouse.move(0, 0);
    await shot(page, '9-offline-selling');
    await cartRow(page, PRODUCTS.oliveOil.name).getByRole('button').last().click();
    await context.setOffline(false);
    await expectText(connection, lang === 'en' ? 'Online' : 'Conectado', 30_000);
    await page.waitForFunction(() => !document.querySelector('.conn--pending'), null, { timeout: 30_000 });

    // A sale made offline on a till whose clock ran two hours ahead: the server refuses its
    // time, and the sale waits for a manager (never lost).
    const realNow = Date.now();
    await page.clock.setSystemTime(new Date(realNow + 2 * 3600_000));
    await scan(page, PRODUCTS.oliveOil.code); // online: the screen learns the server's clock
    await visible(cartRow(page, PRODUCTS.oliveOil.name));
    await context.setOffline(true);
    await expectText(connection, lang === 'en' ? 'Offline' : 'Sin conexión');
    await page.getByRole('button', { name: L.pay }).click();
    await page.getByRole('button', { name: L.complete }).click();
    await visible(page.getByRole('dialog', { name: L.receipt }));
    await newSale(page, L);
    await context.setOffline(false);
    await expectText(connection, M.needsManager, 30_000);
    const dismiss = page.locator('.toasts').getByRole('button', { name: 'OK' });
    while ((await dismiss.count()) > 0) await dismiss.first().click({ timeout: 2000 }).catch(() => undefined);
    await page.getByRole('button', { name: M.review }).click();
    const review = page.getByRole('dialog', { name: M.reviewTitle });
    await visible(review);
    await page.mouse.move(0, 0);
    await shot(page, '12-needs-manager');
    // Discarded here so the register can close (a manager's decision, with a reason).
    await review.getByRole('button', { name: M.discard }).click();
    await review.getByRole('textbox', { name: M.manager }).fill(MANAGER.username);
    await review.getByLabel(M.managerPassword).fill(MANAGER.password);
    await review.getByRole('button', { name: M.authorise }).click();
    await review.getByRole('textbox', { name: M.discardReason }).fill(M.discardWhy);
    await review.getByRole('button', { name: M.discardConfirm }).click();
    await page.keyboard.press('Escape');
    await hidden(review);
    await page.clock.setSystemTime(new Date());
    await page.waitForFunction(() => !document.querySelector('.conn--attention'), null, { timeout: 30_000 });

    // The drawer holds what it should: the count comes out exact.
    const sessionId = await page.evaluate((u) => JSON.parse(localStorage.getItem(`pos.register.${u}`) ?? 'null')?.sessionId, CASHIER.username);
    const expected = await server.gql(server.adminToken, 'query($id:ID!){registerSession(id:$id){expectedCash{amount}}}', { id: sessionId });
    const counted = expected.data.registerSession.expectedCash.amount;
    await page.getByRole('button', { name: L.closeRegister }).click();
    const close = page.getByRole('dialog');
    await close.getByRole('textbox', { name: L.counted }).fill(lang === 'en' ? counted : counted.replace('.', ','));
    await shot(page, '6-close-count');
    await close.getByRole('button', { name: L.confirmClose }).click();
    await expectText(page.getByRole('dialog'), L.overShort);
    await page.mouse.move(0, 0);
    await shot(page, '7-close-result');
    await page.getByRole('dialog').getByRole('button').last().click();
    await hidden(page.getByRole('dialog'));
    await context.close();
  }
  console.log(`screenshots written to ${OUT}`);
} finally {
  await chrome.close();
  await server.stop();
}
