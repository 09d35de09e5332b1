// Heard's service worker: keeps an opened survey working with no
// connection, and sends answers that were queued while offline.
//
// Served from /sw.js, so that its scope covers every page. The server fills
// in VERSION, ASSETS (the stylesheet and the page's modules, by their
// content-hashed URLs, which never change, so they are kept until a new
// version of the worker replaces them), HELP (the help page in each of
// LANGUAGES, shown with no connection when no copy of it was kept) and
// LANGUAGES (the pages' languages, English first).
//
// Installing fetches nothing from the network: the assets are in the
// browser's cache already, from the page that registered the worker.
//
// Pages are fetched from the network first, and kept for when there is no
// connection (or it is too slow to wait for). The outbox is the one
// survey.js writes (see there): IndexedDB "heard", store "outbox".

const VERSION = '';
const ASSETS = [];
const HELP = {};
const LANGUAGES = [];
const CACHE = 'heard-' + VERSION;
const SYNC_TAG = 'heard-outbox';
const LOCK = 'heard-outbox';
// How long a page may take from the network before the kept copy is shown.
const PATIENCE_MS = 4000;

// The pages worth keeping: the start page, help, and a survey's welcome page
// and form. Not the thank-you page, nor anything with answers in it.
const PAGE = /^\/(help|s\/[a-z0-9-]+(\/[a-z0-9-]+)?)?$/;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    // Pages kept by an older worker move to this one's cache with their
    // assets, so that a survey opened before an update still works offline.
    for (const name of await caches.keys()) {
      if (!name.startsWith('heard-') || name === CACHE) continue;
      const old = await caches.open(name);
      const fresh = await caches.open(CACHE);
      for (const req of await old.keys()) {
        if (!(await fresh.match(req))) await fresh.put(req, await old.match(req));
      }
      await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/static/')) {
    event.respondWith(caches.match(req).then((hit) => hit ?? fetch(req)));
  } else if (req.mode === 'navigate' && PAGE.test(url.pathname)) {
    event.respondWith(networkFirst(req));
  }
});

async function networkFirst(req) {
  const cache = await caches.open(CACHE);
  const network = fetch(req).then(async (res) => {
    if (res.ok && res.type === 'basic' && !res.redirected) await cache.put(req, res.clone());
    return res;
  });
  const slow = new Promise((resolve) => setTimeout(resolve, PATIENCE_MS));
  try {
    const res = await Promise.race([network, slow]);
    if (res) return res;
  } catch {
    // no connection
  }
  return (await cache.match(req)) ?? offlineHelp(new URL(req.url)) ?? network;
}

// offlineHelp is the help page the server gave this worker, for /help when
// no copy of it was kept: in the language asked for (?lang=), else the
// browser's, else English. It is undefined for any other page.
function offlineHelp(url) {
  if (url.pathname !== '/help') return undefined;
  const wanted = [url.searchParams.get('lang'), ...(self.navigator.languages ?? [])]
    .filter(Boolean).map((l) => l.toLowerCase().split('-')[0]);
  const lang = wanted.find((l) => LANGUAGES.includes(l)) ?? LANGUAGES[0];
  return new Response(HELP[lang], {
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; " +
        "form-action 'self'; frame-ancestors 'none'",
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
    },
  });
}

// A page asks to be kept, once it has loaded, when it was fetched before
// this worker was there to keep it (a page the worker fetched is kept
// already, and is not fetched again).
self.addEventListener('message', (event) => {
  if (event.data?.type !== 'heard:keep') return;
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    for (const u of event.data.urls) {
      const url = new URL(u, self.location.origin);
      if (url.origin !== self.location.origin || !PAGE.test(url.pathname) || await cache.match(url)) continue;
      try {
        const res = await fetch(url, { credentials: 'same-origin' });
        if (res.ok && !res.redirected) await cache.put(url, res);
      } catch {
        // offline: it is kept on a later visit
      }
    }
  })());
});

self.addEventListener('sync', (event) => {
  if (event.tag === SYNC_TAG) event.waitUntil(flush());
});

// flush sends every queued response, as survey.js does. It throws while
// some are still waiting, so that the browser tries the sync again later.
async function flush() {
  const run = async () => {
    const db = await openOutbox();
    let waiting = false;
    let settled = false;
    try {
      for (const e of await request(db, 'readonly', (s) => s.getAll())) {
        if (e.state !== 'queued') continue;
        let res;
        try {
          res = await fetch(e.url, {
            method: 'POST', headers: { 'Content-Type': 'application/json' }, body: e.body,
            credentials: 'same-origin', cache: 'no-store',
          });
        } catch {
          waiting = true;
          break;
        }
        if (res.status === 200 || res.status === 201) {
          const reply = await res.json().catch(() => ({}));
          await request(db, 'readwrite', (s) => s.put({ id: e.id, state: 'sent', help: Boolean(reply.help?.show) }));
        } else if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
          await request(db, 'readwrite', (s) => s.delete(e.id));
        } else {
          waiting = true;
          continue;
        }
        settled = true;
      }
    } finally {
      db.close();
    }
    if (settled) {
      for (const client of await self.clients.matchAll()) client.postMessage({ type: 'heard:outbox' });
    }
    if (waiting) throw new Error('answers are still waiting to be sent');
  };
  return self.navigator.locks ? self.navigator.locks.request(LOCK, run) : run();
}

function openOutbox() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open('heard', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('outbox', { keyPath: 'id' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function request(db, mode, f) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction('outbox', mode);
    const req = f(tx.objectStore('outbox'));
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = () => reject(tx.error);
  });
}
