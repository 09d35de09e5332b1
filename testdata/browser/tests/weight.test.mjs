// What a survey costs a phone on mobile data: the first load of a survey
// page from a cold cache, everything included (the service worker's own
// fetches too), in bytes on the wire and in requests; nothing more until
// the answers are sent; and, once opened, the survey works with no
// connection at all, without having been fetched twice.
//
// The network log is the browser context's: in Chromium it has the
// service worker's requests as well as the page's. A request the browser
// answered from its own cache, or the worker from its cache, never reached
// the network and costs nothing; the server's own log of the requests it
// answered must agree with the count.

import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  ARTIFACTS, TEST_TIMEOUT, answerCurrent, assertAccessible, assertNoPageErrors, currentQuestion, eventually, keptOffline,
  serverRequests, toReview, useHeard,
} from './helpers.mjs';

const heard = useHeard({ results: true });
const SLUG = 'cared-for-2026';
const SURVEY = `/s/${SLUG}/11-18`;
const phone = { width: 360, height: 640, hasTouch: true, isMobile: true };

// The budget of a survey's first load.
const MAX_BYTES = 50 * 1024;
const MAX_REQUESTS = 6;

/**
 * Records every request of a browser context, the service worker's
 * included, with what it cost: {url, path, by, type, status, network,
 * headerBytes, bodyBytes, encoding}. network is false for a request
 * answered by the browser's cache or by the service worker; bodyBytes is
 * the body as sent (compressed). idle() resolves once no request is under
 * way.
 */
function networkLog(context) {
  const entries = [];
  let pending = 0;
  let waiters = [];
  const done = () => {
    if (--pending > 0) return;
    for (const w of waiters) w();
    waiters = [];
  };
  context.on('request', () => { pending++; });
  context.on('requestfinished', async (req) => {
    try {
      const [sizes, res] = await Promise.all([req.sizes(), req.response()]);
      const headers = await res.allHeaders();
      // Chromium gives a cached answer's body as minus its headers (none
      // of it came over the network), and the body of a service worker's
      // own script as 0: its Content-Length is what was sent.
      const fromCache = sizes.responseBodySize < 0;
      const fromWorker = res.fromServiceWorker();
      let bodyBytes = sizes.responseBodySize;
      if (bodyBytes === 0 && headers['content-length']) bodyBytes = Number(headers['content-length']);
      entries.push({
        url: req.url(), path: new URL(req.url()).pathname, by: req.serviceWorker() ? 'service worker' : 'page',
        type: req.resourceType(), method: req.method(), status: res.status(),
        network: !fromCache && !fromWorker,
        answeredBy: fromWorker ? 'service worker' : fromCache ? 'browser cache' : 'network',
        headerBytes: fromCache || fromWorker ? 0 : sizes.responseHeadersSize,
        bodyBytes: fromCache || fromWorker ? 0 : bodyBytes,
        encoding: headers['content-encoding'] ?? null,
      });
    } finally {
      done();
    }
  });
  context.on('requestfailed', (req) => {
    entries.push({ url: req.url(), path: new URL(req.url()).pathname, by: req.serviceWorker() ? 'service worker' : 'page',
      type: req.resourceType(), method: req.method(), failed: req.failure()?.errorText, network: false, headerBytes: 0, bodyBytes: 0 });
    done();
  });
  const idle = () => (pending === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve)));
  return { entries, idle };
}

const describe = (e) => `${e.method} ${e.path} (${e.by}, ${e.answeredBy ?? e.failed}${e.network ? `, ${e.headerBytes + e.bodyBytes} B` : ''})`;

test(`the first load of ${SURVEY} from a cold cache: at most ${MAX_REQUESTS} requests and ${MAX_BYTES / 1024} KB, then nothing until sending`, TEST_TIMEOUT, async (t) => {
  const page = await heard.open(t, phone); // a fresh context: a cold cache, no worker yet
  const log = networkLog(page.context());
  const serverBefore = serverRequests(heard.server).length;
  await page.goto(SURVEY);
  // Everything the first load sets off: the worker installed, and this page kept for use offline.
  await keptOffline(page);
  await log.idle();

  const origin = new URL(heard.server.url).origin;
  const offsite = log.entries.filter((e) => !e.url.startsWith(origin) && !/^(data|blob):/.test(e.url));
  assert.deepEqual(offsite.map(describe), [], 'no third-party requests');
  const fonts = log.entries.filter((e) => e.type === 'font' || /\.(woff2?|ttf|otf|eot)$/i.test(e.path));
  assert.deepEqual(fonts.map(describe), [], 'no web fonts');
  assert.equal(await page.evaluate(() => document.fonts.size), 0, 'no @font-face in the page');

  const network = log.entries.filter((e) => e.network);
  const bytes = network.reduce((n, e) => n + e.headerBytes + e.bodyBytes, 0);
  // The server answered exactly these, no more.
  const seen = await eventually(() => serverRequests(heard.server).length - serverBefore, network.length);
  assert.equal(seen, network.length,
    `the server answered ${seen} requests, the browser's log has ${network.length}:\n  ${log.entries.map(describe).join('\n  ')}\n` +
    `the server: ${serverRequests(heard.server).slice(serverBefore).map((r) => `${r.method} ${r.route}`).join(', ')}`);

  const report = {
    page: SURVEY,
    viewport: '360x640, touch',
    budget: { requests: MAX_REQUESTS, bytes: MAX_BYTES },
    requests: network.length,
    bytes,
    network: network.map((e) => ({
      url: e.path, by: e.by, type: e.type, status: e.status, encoding: e.encoding,
      header_bytes: e.headerBytes, body_bytes: e.bodyBytes, bytes: e.headerBytes + e.bodyBytes,
    })),
    // Asked for, but answered without the network.
    not_from_the_network: log.entries.filter((e) => !e.network).map((e) => ({ url: e.path, by: e.by, answered_by: e.answeredBy ?? e.failed })),
  };
  await mkdir(ARTIFACTS, { recursive: true });
  await writeFile(join(ARTIFACTS, 'page-weight.json'), JSON.stringify(report, null, 2) + '\n');
  t.diagnostic(`first load of ${SURVEY}: ${network.length} requests, ${bytes} bytes (${(bytes / 1024).toFixed(1)} KB) transferred`);
  for (const e of report.network) t.diagnostic(`  ${e.url} (${e.by}): ${e.bytes} bytes${e.encoding ? ` ${e.encoding}` : ''}`);
  for (const e of report.not_from_the_network) t.diagnostic(`  not from the network: ${e.url} (${e.by}, ${e.answered_by})`);

  assert.ok(network.length <= MAX_REQUESTS, `${network.length} requests, more than ${MAX_REQUESTS}:\n  ${network.map(describe).join('\n  ')}`);
  assert.ok(bytes <= MAX_BYTES, `${bytes} bytes, more than ${MAX_BYTES}`);
  for (const e of network) {
    assert.equal(e.status, 200, describe(e));
    if (/\.(js|css)$|^\/s\//.test(e.path)) assert.ok(e.encoding === 'br' || e.encoding === 'gzip', `${e.path} is compressed (${e.encoding})`);
  }
  // The page itself is fetched twice at most: once to show, once by the
  // worker to keep (it was not there to keep the first); nothing else twice.
  const paths = network.map((e) => e.path);
  assert.ok(paths.filter((p) => p === SURVEY).length <= 2);
  assert.deepEqual(paths.filter((p, i) => p !== SURVEY && paths.indexOf(p) !== i), [], 'nothing else is fetched twice');
  assert.ok(!paths.includes('/help'), 'the help page is not fetched: the worker has it');

  // Later screens need nothing more, not even from the worker, until the answers are sent.
  const before = log.entries.length;
  const stored = await heard.results.count(SLUG);
  await page.getByRole('button', { name: 'Start', exact: true }).tap();
  await toReview(page, (i) => i % 3 === 0);
  await log.idle();
  assert.deepEqual(log.entries.slice(before).map(describe), [], 'no requests between screens');
  await page.getByRole('button', { name: 'Send my answers' }).tap();
  await page.waitForURL(`**${SURVEY}/thanks`);
  await log.idle();
  const posts = log.entries.slice(before).filter((e) => e.method === 'POST');
  assert.deepEqual(posts.map((e) => `${e.path} ${e.status}`), [`/api/v1/surveys/${SLUG}/responses 201`], 'the answers are sent once');
  assert.equal(await eventually(() => heard.results.count(SLUG), stored + 1), stored + 1);
  assertNoPageErrors(page);
});

test('a survey opened once works with no connection: a reload shows it, and the help page is there', TEST_TIMEOUT, async (t) => {
  const page = await heard.open(t, phone);
  const log = networkLog(page.context());
  await page.goto(SURVEY);
  await keptOffline(page);
  await log.idle();
  const context = page.context();
  await context.setOffline(true);
  const before = log.entries.length;

  await page.reload();
  assert.equal(await page.locator('h1').textContent(), 'Your life in care 2026');
  await page.getByRole('button', { name: 'Start', exact: true }).waitFor();
  assert.ok(await page.evaluate(() => document.documentElement.classList.contains('enhanced')), 'its script runs');
  assert.ok(await page.evaluate(() => getComputedStyle(document.body).fontFamily !== '' &&
    [...document.styleSheets].some((s) => s.cssRules.length > 0)), 'its stylesheet applies');

  // The help page was never fetched: the worker has one of its own.
  await page.goto('/help');
  assert.equal(await page.locator('h1').textContent(), 'Get help now');
  assert.equal(await page.locator('main a[href="tel:08001111"]').textContent(), '0800 1111');
  assert.equal(await page.locator('main a[href="tel:01510000000"]').textContent(), '0151 000 0000');
  await assertAccessible(page, 'the help page, offline');
  await page.goto('/help?lang=ar');
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  assert.equal(await page.locator('h1').textContent(), 'المساعدة الآن');
  await assertAccessible(page, 'the Arabic help page, offline');

  // Back to the survey, and through it, still offline.
  await page.goto(SURVEY);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await answerCurrent(page);
  await page.locator('.nav__next').click();
  assert.match(await currentQuestion(page).locator('legend').textContent(), /^Question 2 of \d+/);
  await log.idle();
  assert.deepEqual(log.entries.slice(before).filter((e) => e.network).map(describe), [], 'nothing reached the network');
  assertNoPageErrors(page);
});

test('a survey reached from its welcome page is fetched once', TEST_TIMEOUT, async (t) => {
  const page = await heard.open(t, phone);
  const log = networkLog(page.context());
  await page.goto(`/s/${SLUG}`);
  await keptOffline(page); // the worker now looks after every page
  await log.idle();
  const before = log.entries.length;
  const serverBefore = serverRequests(heard.server).length;

  await page.getByRole('link', { name: 'I am 11 to 18' }).tap();
  await page.waitForURL(`**${SURVEY}`);
  await keptOffline(page);
  await page.getByRole('button', { name: 'Start', exact: true }).waitFor();
  await log.idle();
  const network = log.entries.slice(before).filter((e) => e.network);
  assert.deepEqual(network.map((e) => `${e.method} ${e.path}`), [`GET ${SURVEY}`], `only the page itself:\n  ${log.entries.slice(before).map(describe).join('\n  ')}`);
  const served = await eventually(() => serverRequests(heard.server).length - serverBefore, 1);
  assert.deepEqual(serverRequests(heard.server).slice(serverBefore).map((r) => `${r.method} ${r.route}`), ['GET /s/:slug/:version'],
    `the server answered ${served} requests`);
});
