// The register's app shell, so a reload while the server cannot be reached still opens the
// screen (its sales wait in IndexedDB, its products in the offline cache). index.html goes to
// the network first (a new deploy is seen at once) and falls back to the copy kept here; the
// hashed assets are kept as they are fetched. /graphql and everything else pass through.
const CACHE = 'pos-shell-v1';

async function keepShell() {
  const cache = await caches.open(CACHE);
  const response = await fetch('/', { cache: 'no-cache' });
  if (!response.ok) return;
  const html = await response.clone().text();
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  await cache.put('/', response);
  await cache.addAll(assets);
}

self.addEventListener('install', (event) => {
  event.waitUntil(keepShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            void caches.open(CACHE).then((cache) => cache.put('/', copy));
          }
          return response;
        })
        .catch(() => caches.match('/', { ignoreVary: true }).then((hit) => hit ?? Response.error())),
    );
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(
      // ignoreVary: the server varies on Origin (CORS), and the page asks with one while the
      // install step kept the files without.
      caches.match(request, { ignoreVary: true }).then(
        (hit) =>
          hit ??
          fetch(request).then((response) => {
            if (response.ok) {
              const copy = response.clone();
              void caches.open(CACHE).then((cache) => cache.put(request, copy));
            }
            return response;
          }),
      ),
    );
  }
});
