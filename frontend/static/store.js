// Keeping a young person's answers on this device until Heard has them.
//
// Progress (the answers as they are given, the screen reached, the response
// id) is kept in localStorage under heard:<survey>:<version>, and wiped once
// the server has acknowledged the answers.
//
// Answers sent with no connection wait in an IndexedDB outbox, which the
// service worker (/sw.js) reads too, since it cannot read localStorage.
// An entry is {id, url, body, state: 'queued'} until the server
// acknowledges it; then only {id, state: 'sent', help} is kept, so that the
// survey page can say thank you, and the answers are gone from the outbox.
// An entry the server refuses is deleted: the page sends the answers from
// its progress again, to learn why and show it. Page and worker send under
// the same lock, and with the same response id, so a retry is stored once.
//
// Importing this module registers the service worker, and sends whatever
// is queued now, on every page load, and whenever the phone is back online.

const PREFIX = 'heard:';
const DB = 'heard';
const OUTBOX = 'outbox';
const LOCK = 'heard-outbox';
export const SYNC_TAG = 'heard-outbox';

/** The saved progress of a survey version, or null. */
export function loadProgress(survey, version) {
  try {
    return JSON.parse(localStorage.getItem(PREFIX + survey + ':' + version));
  } catch {
    return null; // storage off, or spoilt: start afresh
  }
}

/** Saves progress. Where storage is off (some private windows), the answers live in the page only. */
export function saveProgress(survey, version, progress) {
  try {
    localStorage.setItem(PREFIX + survey + ':' + version, JSON.stringify(progress));
  } catch {
    // nothing more can be done
  }
}

export function clearProgress(survey, version) {
  try {
    localStorage.removeItem(PREFIX + survey + ':' + version);
  } catch {
    // nothing to clear
  }
}

function openOutbox() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(OUTBOX, { keyPath: 'id' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Runs f(store) in a transaction and resolves with the value of the request it returns. */
async function withOutbox(mode, f) {
  const db = await openOutbox();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(OUTBOX, mode);
      const req = f(tx.objectStore(OUTBOX));
      tx.oncomplete = () => resolve(req?.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

export const queue = (entry) => withOutbox('readwrite', (s) => s.put(entry));
export const outboxEntry = (id) => withOutbox('readonly', (s) => s.get(id));
export const removeEntry = (id) => withOutbox('readwrite', (s) => s.delete(id));
const entries = () => withOutbox('readonly', (s) => s.getAll());

/** Asks the browser to run the worker's send when the connection returns (Background Sync), where it can. */
export async function requestSync() {
  if (!('serviceWorker' in navigator)) return;
  const reg = await navigator.serviceWorker.ready;
  await reg.sync?.register(SYNC_TAG);
}

/**
 * Posts a response as JSON: resolves with the status, the reply's JSON and
 * any Retry-After in seconds; rejects when there is no connection.
 */
export async function post(url, body) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
    credentials: 'same-origin',
    cache: 'no-store',
  });
  let reply = {};
  try {
    reply = await res.json();
  } catch {
    // not JSON: the status says enough
  }
  return { status: res.status, reply, retryAfter: Number(res.headers.get('Retry-After')) || 0 };
}

/** Runs f holding the outbox lock, shared with the worker, where the browser has locks. */
function locked(f) {
  return navigator.locks ? navigator.locks.request(LOCK, f) : f();
}

let flushing = null;

/**
 * Sends every queued response, one at a time, and stops at the first that
 * finds no connection. Tells the page ('heard:outbox' on window) when an
 * entry was settled.
 */
export function flush() {
  flushing ??= locked(async () => {
    let settled = false;
    for (const e of await entries()) {
      if (e.state !== 'queued') continue;
      let r;
      try {
        r = await post(e.url, e.body);
      } catch {
        break; // still offline
      }
      if (r.status === 200 || r.status === 201) {
        await queue({ id: e.id, state: 'sent', help: Boolean(r.reply.help?.show) });
      } else if (r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429) {
        await removeEntry(e.id);
      } else {
        continue; // busy: it stays queued
      }
      settled = true;
    }
    if (settled) window.dispatchEvent(new Event('heard:outbox'));
  }).catch(() => {
    // no IndexedDB here: the survey page sends from its progress instead
  }).finally(() => {
    flushing = null;
  });
  return flushing;
}

/**
 * Registers the service worker, asks it to keep this page (and the help
 * page) for offline use, and sends queued answers now and when back online.
 * It waits for the page to load, so as not to slow it.
 */
function start() {
  window.addEventListener('online', () => flush());
  flush();
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('message', (e) => {
    if (e.data?.type === 'heard:outbox') window.dispatchEvent(new Event('heard:outbox'));
  });
  navigator.serviceWorker.register('/sw.js').catch(() => {
    // no offline use here (an insecure origin, or private browsing)
  });
  navigator.serviceWorker.ready.then((reg) => {
    const help = document.querySelector('.help-link');
    const urls = [location.href, help?.href].filter(Boolean);
    reg.active?.postMessage({ type: 'heard:keep', urls });
  });
}

if (typeof window !== 'undefined') {
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start, { once: true });
}
