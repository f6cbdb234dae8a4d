// The browser tests' harness: a real pos-api (POS_API_BIN) on a fresh SQLite DATA_DIR with the
// demo shop, users made through GraphQL as admin, and Debian's Chromium driven by
// playwright-core. No mock of the server or the network.
//
// Until pos-api serves the screen at `/` itself, a tiny static server serves web/dist and
// forwards /graphql (and the /graphql/ws upgrade) to it; once the binary serves `/`, the tests
// use it directly (detected by GET /).
import { spawn, execFileSync } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const WEB_DIR = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const DIST = join(WEB_DIR, 'dist');
export const ADMIN_PASSWORD = 'admin-password-1';
export const CASHIER = { username: 'ana', password: 'cajera-ana-1', fullName: 'Ana García', role: 'CASHIER' };
export const CASHIER2 = { username: 'luis', password: 'cajero-luis-1', fullName: 'Luis Pérez', role: 'CASHIER' };
export const MANAGER = { username: 'marta', password: 'encargada-1', fullName: 'Marta Ruiz', role: 'MANAGER' };

/** Demo products (pos-api seed-demo). */
export const PRODUCTS = {
  sunflowerOil: { code: '8400070032192', name: 'Aceite de girasol 1 L', price: '2.15' },
  oliveOil: { code: '8400070031829', name: 'Aceite de oliva suave 1 L', price: '7.45' },
  sparklingWater: { code: '8400070054392', name: 'Agua con gas 1 L', price: '0.85', onHand: 21, threshold: 6 },
  outOfStockWater: { code: '8400070053289', name: 'Agua mineral 1,5 L', price: '0.45' },
  avocado: { code: 'DEMO-0230', name: 'Aguacate Hass', price: '4.49' },
};

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function apiBinary() {
  const bin = process.env.POS_API_BIN;
  if (!bin) {
    throw new Error(
      'POS_API_BIN is not set: the browser tests need the pos-api binary, e.g. POS_API_BIN=../target/debug/pos-api npm run e2e',
    );
  }
  if (!existsSync(bin)) throw new Error(`POS_API_BIN=${bin}: no such file`);
  return resolve(bin);
}

export function chromiumPath() {
  const path = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
  if (!existsSync(path)) throw new Error(`${path} is missing: apt-get install -y chromium`);
  return path;
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
    server.on('error', reject);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitForHealth(base, child, log) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`pos-api exited early:\n${log.join('')}`);
    try {
      const r = await fetch(`${base}/health`);
      if (r.ok) return;
    } catch {
      /* not yet */
    }
    await sleep(100);
  }
  throw new Error(`pos-api did not start:\n${log.join('')}`);
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Serves web/dist as pos-api will: /assets/* or the app; /graphql forwarded. */
function startStatic(apiPort) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/graphql') || url.pathname === '/health' || url.pathname === '/ready') {
      const upstream = httpRequest(
        { host: '127.0.0.1', port: apiPort, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      req.pipe(upstream);
      return;
    }
    const path = normalize(join(DIST, url.pathname));
    const isFile = path.startsWith(DIST) && existsSync(path) && statSync(path).isFile();
    if (!isFile && url.pathname.startsWith('/assets/')) {
      res.writeHead(404);
      res.end('not found');
      return;
    }
    const file = isFile ? path : join(DIST, 'index.html');
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': file.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
    });
    res.end(readFileSync(file));
  });
  // The WebSocket upgrade goes through as raw bytes.
  server.on('upgrade', (req, socket, head) => {
    const upstream = connect(apiPort, '127.0.0.1', () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  return new Promise((resolveServer) => {
    server.listen(0, '127.0.0.1', () => resolveServer(server));
  });
}

/** A pos-api of its own on a fresh database with the demo shop and two users. */
export async function startServer({ env = {} } = {}) {
  const bin = apiBinary();
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('web/dist is missing: npm run build first');
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-'));
  const port = await freePort();
  const baseEnv = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dataDir,
    DATA_DIR: dataDir,
    BACKUP_DIR: join(dataDir, 'backups'),
    BACKUP_CRON: 'off',
    POS_ADMIN_PASSWORD: ADMIN_PASSWORD,
    APP_ENV: 'development',
    BIND_ADDR: `127.0.0.1:${port}`,
    RUST_LOG: 'warn',
    // No model needed: search runs on codes and words (the Rust tests do the same).
    EMBEDDINGS: 'off',
    SEARCH_REFRESH_INTERVAL: '200ms',
    DATABASE_MAX_CONNECTIONS: '5',
    ...env,
  };
  execFileSync(bin, ['seed-demo'], { env: baseEnv, cwd: dataDir, stdio: 'pipe' });
  const log = [];
  const launch = () => {
    const process = spawn(bin, [], { env: baseEnv, cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'] });
    process.stdout.on('data', (d) => log.push(String(d)));
    process.stderr.on('data', (d) => log.push(String(d)));
    return process;
  };
  let child = launch();
  const apiBase = `http://127.0.0.1:${port}`;
  await waitForHealth(apiBase, child, log);
  const halt = async () => {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
  };

  // The binary serves the screen itself once the lead's serving lands.
  let baseUrl = apiBase;
  let staticServer = null;
  const root = await fetch(`${apiBase}/`).then((r) => r.text()).catch(() => '');
  if (process.env.E2E_STATIC === '1' || !root.includes('<div id="root">')) {
    staticServer = await startStatic(port);
    baseUrl = `http://127.0.0.1:${staticServer.address().port}`;
  }

  const server = {
    baseUrl,
    apiBase,
    dataDir,
    log,
    async gql(token, query, variables = {}) {
      const r = await fetch(`${apiBase}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return r.json();
    },
    async login(username, password) {
      const r = await this.gql(null, 'mutation($u:String!,$p:String!){login(username:$u,password:$p){accessToken refreshToken user{id}}}', { u: username, p: password });
      if (!r.data) throw new Error(`login ${username}: ${JSON.stringify(r.errors)}`);
      return r.data.login.accessToken;
    },
    /** Stops pos-api (its sockets close) and starts it again on the same port and data. */
    async stopApi() {
      await halt();
    },
    async startApi() {
      child = launch();
      await waitForHealth(apiBase, child, log);
    },
    async stop() {
      staticServer?.close();
      await halt();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const admin = await server.login('admin', ADMIN_PASSWORD);
  server.adminToken = admin;
  for (const user of [CASHIER, CASHIER2, MANAGER]) {
    const r = await server.gql(admin, 'mutation($input:CreateUserInput!){createUser(input:$input){id}}', {
      input: { username: user.username, password: user.password, fullName: user.fullName, role: user.role },
    });
    if (!r.data) throw new Error(`createUser: ${JSON.stringify(r.errors)}`);
  }
  const locations = await server.gql(admin, '{ locations { id code } }');
  server.locationId = locations.data.locations[0].id;
  return server;
}

/** Chromium with a fresh profile (playwright gives every launch a new temporary user-data-dir). */
export async function launchBrowser() {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
  return { browser, close: () => browser.close() };
}

export async function newPage(browser, server, { lang = 'es', viewport = { width: 1280, height: 800 } } = {}) {
  const context = await browser.newContext({ viewport, locale: lang === 'en' ? 'en-GB' : 'es-ES', baseURL: server.baseUrl });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
  return { context, page };
}
