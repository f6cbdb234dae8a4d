// The main screens at 1280×800, in Spanish and English, into docs/screenshots/: sign in, a sale
// with its cart, tender, the receipt, and the close. Run with `npm run screenshots`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CASHIER, PRODUCTS, WEB_DIR, launchBrowser, newPage, startServer } from './harness.mjs';
import { EN, ES, cartRow, expectText, hidden, newSale, openRegister, scan, scanField, signIn, visible } from './flows.mjs';

const OUT = join(WEB_DIR, '..', 'docs', 'screenshots');
mkdirSync(OUT, { recursive: true });

const server = await startServer();
const chrome = await launchBrowser();
try {
  for (const lang of ['es', 'en']) {
    const L = lang === 'en' ? EN : ES;
    const shot = (page, name) => page.screenshot({ path: join(OUT, `${name}-${lang}.png`) });
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
    await newSale(page, L);

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

    await page.getByRole('button', { name: L.closeRegister }).click();
    const close = page.getByRole('dialog');
    await close.getByRole('textbox', { name: L.counted }).fill(lang === 'en' ? '168.00' : '168,00');
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
