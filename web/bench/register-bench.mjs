// npm run bench: the register screen's speed in a real browser against a running pos-api.
//   scan:   Enter of a keyboard-wedge scan → the line on screen
//   search: the last keystroke of a word → its results on screen
// at 1 and 8 simultaneous registers (browser pages), medians and p95.
//
// BASE_URL       where pos-api serves the screen (default http://127.0.0.1:5000)
// POS_USER, POS_PASSWORD   a cashier (each page opens its own register)
// CODES          comma-separated barcodes/SKUs to scan (or CODES_FILE, one per line)
// WORDS          comma-separated words to search (or WORDS_FILE); each is typed once on each
//                page (reported as "first search of a word"), then again ("words seen before":
//                the screen answers those from its own cache, the server from its own)
// PAGES          default "1,8"; SCANS, SEARCHES per page (default 60, 30)
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../e2e/harness.mjs';

const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:5000';
const USER = process.env.POS_USER ?? 'cajero';
const PASSWORD = process.env.POS_PASSWORD ?? '';
const list = (name) => {
  const file = process.env[`${name}_FILE`];
  const raw = file ? readFileSync(file, 'utf8').split('\n') : (process.env[name] ?? '').split(',');
  return raw.map((s) => s.trim()).filter(Boolean);
};
const CODES = list('CODES');
const WORDS = list('WORDS');
const PAGES = (process.env.PAGES ?? '1,8').split(',').map(Number);
const SCANS = Number(process.env.SCANS ?? 60);
const SEARCHES = Number(process.env.SEARCHES ?? 30);
if (CODES.length === 0 || WORDS.length === 0 || !PASSWORD) {
  console.error('set POS_PASSWORD, CODES (or CODES_FILE) and WORDS (or WORDS_FILE); see the header of bench/register-bench.mjs');
  process.exit(2);
}

const L = { es: { user: 'Usuario', pass: 'Contraseña', signIn: 'Entrar', name: 'Nombre de la caja', float: 'Fondo inicial', open: 'Abrir caja', scan: 'Escanear o buscar' } }.es;

// In the page: timestamps of the last Enter / keystroke, and of the next change of the cart or
// of the search results after it.
const PROBE = () => {
  const probe = { enterAt: 0, cartAt: 0, keyAt: 0, resultsAt: 0 };
  window.__bench = probe;
  window.addEventListener(
    'keydown',
    (e) => {
      if (e.key === 'Enter') {
        probe.enterAt = performance.now();
        probe.cartAt = 0;
      } else if (e.key.length === 1) {
        probe.keyAt = performance.now();
        probe.resultsAt = 0;
      }
    },
    true,
  );
  new MutationObserver((records) => {
    const now = performance.now();
    for (const r of records) {
      const el = r.target instanceof Element ? r.target : r.target.parentElement;
      if (!el) continue;
      if (el.closest('.cart') && probe.enterAt && !probe.cartAt) probe.cartAt = now;
      if (el.closest('.scan') && !el.closest('.scan__field') && probe.keyAt && !probe.resultsAt) probe.resultsAt = now;
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
};

async function register(browser, index) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'es-ES', baseURL: BASE_URL });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('textbox', { name: L.user }).fill(USER);
  await page.getByLabel(L.pass).fill(PASSWORD);
  await page.getByRole('button', { name: L.signIn }).click();
  const name = page.getByRole('textbox', { name: L.name });
  await name.waitFor();
  await name.fill(`Bench ${index}-${Date.now() % 100000}`);
  await page.getByRole('textbox', { name: L.float }).fill('100');
  await page.getByRole('button', { name: L.open, exact: true }).click();
  await page.getByRole('textbox', { name: L.scan }).waitFor();
  await page.evaluate(PROBE);
  return { context, page };
}

async function measureScans(page, offset) {
  const times = [];
  for (let i = 0; i < SCANS; i++) {
    if (i % 25 === 0) await page.keyboard.press('F10'); // a new sale now and then keeps the cart short
    await page.keyboard.type(CODES[(offset + i) % CODES.length], { delay: 5 });
    await page.keyboard.press('Enter');
    const ms = await page
      .waitForFunction(() => window.__bench.cartAt > 0 && window.__bench.cartAt - window.__bench.enterAt, null, { timeout: 10_000, polling: 'raf' })
      .then((h) => h.jsonValue())
      .catch(() => null);
    if (ms !== null) times.push(ms);
  }
  return times;
}

async function measureSearches(page, offset, warm) {
  const times = [];
  const count = warm ? WORDS.length : SEARCHES;
  for (let i = 0; i < count; i++) {
    const word = WORDS[(offset + i) % WORDS.length];
    await page.keyboard.type(word, { delay: 40 });
    const ms = await page
      .waitForFunction(() => window.__bench.resultsAt > 0 && window.__bench.resultsAt - window.__bench.keyAt, null, { timeout: 10_000, polling: 'raf' })
      .then((h) => h.jsonValue())
      .catch(() => null);
    if (ms !== null) times.push(ms);
    await page.keyboard.press('Escape');
  }
  return times;
}

const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
};
const row = (label, values) =>
  console.log(`${label.padEnd(28)} n=${String(values.length).padStart(4)}  median ${pct(values, 50).toFixed(1).padStart(7)} ms  p95 ${pct(values, 95).toFixed(1).padStart(7)} ms`);

const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
try {
  console.log(`register bench against ${BASE_URL}: ${CODES.length} codes, ${WORDS.length} words`);
  for (const n of PAGES) {
    const pages = [];
    for (let i = 0; i < n; i++) pages.push(await register(browser, i));
    const firsts = (await Promise.all(pages.map(({ page }, i) => measureSearches(page, i, true)))).flat();
    const scans = (await Promise.all(pages.map(({ page }, i) => measureScans(page, i * 7)))).flat();
    const searches = (await Promise.all(pages.map(({ page }, i) => measureSearches(page, i * 3, false)))).flat();
    row(`scan → line, ${n} page(s)`, scans);
    row(`first search of a word, ${n}p`, firsts);
    row(`keystroke → results, ${n} page(s)`, searches);
    for (const { context } of pages) await context.close();
  }
} finally {
  await browser.close();
}
