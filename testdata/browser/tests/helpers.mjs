// Shared helpers for Heard's browser tests: a real `heard serve` on a free
// port with the demo surveys, Debian's headless Chromium driven by
// playwright-core, axe-core checks, screenshots and page-level checks.
//
// The tests run with Node's built-in test runner (`node --test`); each test
// file starts its own server and browser in `before` and stops them in
// `after`, and every test gets a fresh browser context (a fresh profile).

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';

/** Where the tests' artifacts go: /artifacts/ at the repository root (git ignores it). */
export const ARTIFACTS = fileURLToPath(new URL('../../../artifacts/', import.meta.url));

/** Where screenshots go: artifacts/screenshots/. */
export const SCREENSHOTS = join(ARTIFACTS, 'screenshots');

/** The council settings the server runs with, as the pages should show them. */
export const COUNCIL = { name: 'Test Council', phone: '0151 000 0000', tel: 'tel:01510000000' };

/** A staff account made before the server starts, to read results. */
export const ANALYST = { email: 'analyst@browser-tests.example', password: 'browser tests password' };

/** An account for each role, made with `heard user add` when a test file asks for staff. */
export const STAFF = Object.fromEntries(['admin', 'analyst', 'facilitator', 'school_lead', 'safeguarding_lead', 'board'].map((role) => [
  role, role === 'analyst' ? ANALYST : { email: `${role.replace('_', '-')}@browser-tests.example`, password: 'browser tests password' },
]));

/** The slugs of the surveys HEARD_DEMO=true opens. */
export const DEMO_SURVEYS = ['cared-for-2026', 'care-leavers-2026', 'school-council-2026'];

/** Time limits for node:test: a hung browser fails the test, not the whole run. */
export const TEST_TIMEOUT = { timeout: 60_000 };
export const HOOK_TIMEOUT = { timeout: 120_000 };

const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;

// playwright-core 1.65 needs Node.js 20 or later: say so plainly, rather
// than fail somewhere inside it (hence the import after the check).
if (Number(process.versions.node.split('.')[0]) < 20) {
  throw new Error(`The browser tests need Node.js 20 or later (playwright-core 1.65 does); this is ${process.version}.`);
}
const { chromium, request } = await import('playwright-core');

function heardBin() {
  const bin = process.env.HEARD_BIN;
  if (!bin) {
    throw new Error('HEARD_BIN must be the absolute path of a built heard binary. Run the suite with `make browser-test`.');
  }
  return bin;
}

/** The environment of every heard process: nothing of this machine's HEARD_* settings leaks in. */
function heardEnv(dataDir, extra = {}) {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    HEARD_DATA_DIR: dataDir,
    HEARD_LOG_FORMAT: 'json',
    ...extra,
  };
}

/** Runs a heard command to completion, failing with its output when it fails. */
function runHeard(dataDir, args, stdin = '', env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(heardBin(), args, { env: heardEnv(dataDir, env), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b) => { out += b; });
    child.stderr.on('data', (b) => { out += b; });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve(out);
      else reject(new Error(`heard ${args.join(' ')} exited with ${code ?? signal}:\n${out}`));
    });
    child.stdin.on('error', () => {}); // a command that exits at once; its exit code tells
    child.stdin.end(stdin);
  });
}

/**
 * Starts `heard serve` on a free port with a fresh data directory, the demo
 * surveys and an analyst account, and waits for its JSON "heard is
 * listening" line on stderr. Requests to talk are on, with a fresh key in
 * the data directory (HEARD_CONTACT_KEY_FILE).
 *
 * env adds to (or overrides) the environment of every heard process it
 * runs, such as MONGODB_URI for instances sharing a database. With users
 * false no account is made (another instance on the same database made
 * them).
 *
 * @returns {Promise<{url: string, logs: () => string, stop: () => Promise<void>}>}
 */
export async function startServer({ staff = false, env = {}, users = true } = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'heard-browser-'));
  let child;
  try {
    // The accounts are made first: a running server locks its data directory.
    if (users) await runHeard(dataDir, ['user', 'add', '--email', ANALYST.email, '--role', 'analyst'], ANALYST.password + '\n', env);
    if (staff && users) {
      for (const [role, account] of Object.entries(STAFF)) {
        if (role !== 'analyst') await runHeard(dataDir, ['user', 'add', '--email', account.email, '--role', role], account.password + '\n', env);
      }
    }

    const contactKey = join(dataDir, 'contact.key');
    await writeFile(contactKey, randomBytes(32).toString('hex') + '\n', { mode: 0o600 });

    child = spawn(heardBin(), ['serve'], {
      env: heardEnv(dataDir, {
        HEARD_ADDR: '127.0.0.1:0',
        HEARD_CONTACT_KEY_FILE: contactKey,
        HEARD_DEMO: 'true',
        HEARD_COUNCIL_NAME: COUNCIL.name,
        HEARD_HELP_PHONE: COUNCIL.phone,
        ...env,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }

  // If this test process dies without running `after`, take the server with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let logs = '';
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (err) => resolve({ code: null, signal: `a failure to start (${err.message})` }));
  });
  child.stdout.on('data', (b) => { logs += b; });
  const url = new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stderr });
    lines.on('line', (line) => {
      logs += line + '\n';
      try {
        const rec = JSON.parse(line);
        if (rec.msg === 'heard is listening' && rec.url) resolve(rec.url);
      } catch {
        // not a JSON log line (a fatal start-up error is plain text)
      }
    });
    exited.then(({ code, signal }) => reject(new Error(`heard serve exited with ${code ?? signal} before listening:\n${logs}`)));
  });
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`heard serve did not start listening within ${START_TIMEOUT_MS / 1000}s:\n${logs}`)), START_TIMEOUT_MS);
  });

  let stopped;
  const stop = () => {
    stopped ??= (async () => {
      try {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        let kill;
        const result = await Promise.race([
          exited,
          new Promise((resolve) => { kill = setTimeout(() => resolve(null), STOP_TIMEOUT_MS); }),
        ]);
        clearTimeout(kill);
        if (result === null) {
          child.kill('SIGKILL');
          await exited;
          throw new Error(`heard serve did not stop within ${STOP_TIMEOUT_MS / 1000}s of SIGTERM:\n${logs}`);
        }
        if (result.code !== 0) {
          throw new Error(`heard serve exited with ${result.code ?? result.signal} after SIGTERM:\n${logs}`);
        }
      } finally {
        process.off('exit', killOnExit);
        await rm(dataDir, { recursive: true, force: true });
      }
    })();
    return stopped;
  };

  try {
    const u = await Promise.race([url, timeout]);
    return { url: u, logs: () => logs, stop };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The requests the server has answered so far, from its log: one
 * {method, route, status} per request, in order. (The log names the
 * route's pattern, never the path, which may carry an access code.)
 */
export function serverRequests(server) {
  return server.logs().split('\n').flatMap((line) => {
    try {
      const rec = JSON.parse(line);
      return rec.msg === 'request' ? [{ method: rec.method, route: rec.route, status: rec.status }] : [];
    } catch {
      return [];
    }
  });
}

/**
 * Starts a server and a browser for a test file (in `before`) and stops
 * them when its tests are done (in `after`). With results, it also signs
 * the analyst in to read response counts.
 *
 * @returns {{server: object, browser: import('playwright-core').Browser,
 *   results?: {count: (slug: string) => Promise<number>},
 *   open: (t: import('node:test').TestContext, options?: object) => Promise<import('playwright-core').Page>}}
 */
export function useHeard({ results = false, staff = false, env = {} } = {}) {
  const h = {};
  before(async () => {
    const [server, browser] = await Promise.allSettled([startServer({ staff, env }), launchBrowser()]);
    h.server = server.value;
    h.browser = browser.value;
    if (server.status === 'rejected') throw server.reason;
    if (browser.status === 'rejected') throw browser.reason;
    if (results) h.results = await resultsReader(h.server);
  }, HOOK_TIMEOUT);
  after(async () => {
    await h.results?.close();
    await h.browser?.close();
    await h.server?.stop();
  }, HOOK_TIMEOUT);
  h.open = (t, options) => openPage(t, h.browser, h.server, options);
  return h;
}

/** Launches Debian's headless Chromium. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/**
 * Opens a page in a fresh browser context (a fresh profile) of the given
 * size, with the server as base URL. Every request the page makes is
 * recorded; assertSameHost fails on one to any other host. The context is
 * closed when the test ends.
 *
 * With scripts: false, the pages' own scripts are refused: the survey form
 * stays the plain form, as without JavaScript, while axe-core (which the
 * tests run through DevTools) still works. With JavaScript on, the form
 * becomes one question per screen.
 *
 * @param {import('node:test').TestContext} t
 * @param {import('playwright-core').Browser} browser
 * @param {{url: string}} server
 * @param {{width?: number, height?: number, scripts?: boolean} & import('playwright-core').BrowserContextOptions} [options]
 */
export async function openPage(t, browser, server, { width = 390, height = 844, scripts = true, ...options } = {}) {
  // Reduced motion turns off the pages' smooth scrolling, which would make
  // every click on a control further down the page wait for the scroll.
  const context = await browser.newContext({
    baseURL: server.url, viewport: { width, height }, reducedMotion: 'reduce', ...options,
  });
  t.after(() => context.close());
  if (!scripts) await context.route(/\/static\/[^/]+\.js$/, (route) => route.abort());
  // A missing element fails in seconds, not after Playwright's 30.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const host = new URL(server.url).host;
  page.requested = [];
  page.offsite = [];
  page.on('request', (req) => {
    const u = new URL(req.url());
    page.requested.push(req.url());
    // data: and blob: URLs are made in the page, not fetched from a host.
    if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return;
    if (u.host !== host) page.offsite.push(req.url());
  });
  page.on('pageerror', (err) => { page.errors = [...(page.errors ?? []), err.message]; });
  page.javaScriptEnabled = options.javaScriptEnabled !== false;
  return page;
}

/** Fails if the page requested anything from a host other than the server. */
export function assertSameHost(page) {
  assert.deepEqual(page.offsite, [], `the page sent requests to other hosts:\n  ${page.offsite.join('\n  ')}`);
}

/** Fails if the page is wider than the viewport: nobody should have to scroll sideways. */
export async function assertNoHorizontalScroll(page, what = page.url()) {
  const { scrollWidth, innerWidth, wide } = await page.evaluate(() => {
    const innerWidth = window.innerWidth;
    // Name the elements that stick out, to make a failure easy to fix.
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > innerWidth + 0.5 && el.getClientRects().length > 0)
      .slice(0, 10)
      .map((el) => {
        const id = el.id ? `#${el.id}` : '';
        const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
        return `${el.tagName.toLowerCase()}${id}${cls} (right edge ${Math.round(el.getBoundingClientRect().right)}px)`;
      });
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth, wide };
  });
  assert.ok(scrollWidth <= innerWidth,
    `${what} scrolls sideways: scrollWidth ${scrollWidth}px > window.innerWidth ${innerWidth}px. Too wide:\n  ${wide.join('\n  ')}`);
}

let axeSource;

/**
 * Runs axe-core on the page for WCAG 2.0, 2.1 and 2.2 A and AA and fails
 * with a readable list of violations, if there are any.
 */
export async function assertAccessible(page, what = page.url()) {
  assert.ok(page.javaScriptEnabled, 'axe-core cannot run in a page with JavaScript disabled');
  axeSource ??= await readFile(new URL('../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
  // The pages' CSP allows only scripts from the server or with the page's
  // nonce, so a <script> tag of axe would be refused. page.evaluate runs
  // axe's source through the DevTools protocol, which the CSP does not
  // govern: this is the only script the tests put into a page, and it is
  // there only for the axe run. (It works with JavaScript disabled too.)
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' '), summary: n.failureSummary })),
    }));
  });
  if (violations.length === 0) return;
  const report = violations.map((v) => [
    `- ${v.id} (${v.impact}): ${v.help}`,
    `  ${v.helpUrl}`,
    ...v.nodes.map((n) => `    at ${n.target}${n.summary ? `\n      ${n.summary.replace(/\n/g, '\n      ')}` : ''}`),
  ].join('\n')).join('\n');
  assert.fail(`axe-core found ${violations.length} accessibility violation(s) on ${what}:\n${report}`);
}

/**
 * Saves a PNG of the whole page (or, with fullPage false, of what is on
 * screen) as artifacts/screenshots/NAME-WIDTH.png and returns its path.
 */
export async function screenshot(page, name, { fullPage = true } = {}) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  const path = join(SCREENSHOTS, `${name}-${width}.png`);
  // A whole-page screenshot of a touch screen briefly emulates a mouse,
  // which would show hover styles on whatever was tapped last: point at
  // nothing first.
  if (fullPage) await page.mouse.move(0, 0);
  // A long page (a survey's editor, say) takes a while to capture whole.
  await page.screenshot({ path, fullPage, timeout: 60_000 });
  return path;
}

/**
 * The checks every page gets: a screenshot (first, so that there is one to
 * look at when a check fails), no sideways scroll, no axe violations and
 * no requests to other hosts.
 *
 * axe-core needs timers, which do not run in a page with JavaScript
 * disabled, so such a page gets every check but axe. The young person's
 * pages work without their scripts, so axe sees the same plain pages in
 * tests that open them with { scripts: false }.
 */
export async function checkPage(page, name) {
  await screenshot(page, name);
  await assertNoHorizontalScroll(page, name);
  if (page.javaScriptEnabled) await assertAccessible(page, name);
  assertSameHost(page);
}

/** Fails if the page's JavaScript threw. */
export function assertNoPageErrors(page) {
  assert.deepEqual(page.errors ?? [], [], 'the page threw errors');
}

/**
 * Signs the analyst in over the API and returns a function that reads how
 * many responses a survey has, as the results API reports it.
 */
export async function resultsReader(server) {
  const api = await request.newContext({ baseURL: server.url });
  const res = await api.post('/api/v1/auth/login', { data: { email: ANALYST.email, password: ANALYST.password } });
  assert.equal(res.status(), 200, `analyst login: ${res.status()} ${await res.text()}`);
  const count = async (slug) => {
    const r = await api.get(`/api/v1/surveys/${slug}/results`);
    assert.equal(r.status(), 200, `results of ${slug}: ${r.status()} ${await r.text()}`);
    return (await r.json()).responses;
  };
  return { count, close: () => api.dispose() };
}

/**
 * Waits until f() returns want, for up to ms, and returns the last value:
 * counts are read back from the server, which may take a moment to show a
 * stored answer in the results.
 */
export async function eventually(f, want, ms = 5_000) {
  const deadline = Date.now() + ms;
  let got = await f();
  while (got !== want && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    got = await f();
  }
  return got;
}

/** Fills in fields of the form by the questions' keys: radio/checkbox choice keys or text. */
export async function answer(page, answers) {
  for (const [key, value] of Object.entries(answers)) {
    const field = `[name="q.${key}"]`;
    const type = await page.locator(field).first().getAttribute('type');
    if (type === 'radio' || type === 'checkbox') {
      for (const v of [value].flat()) await page.locator(`${field}[value="${v}"]`).check();
    } else {
      await page.locator(field).fill(value);
    }
  }
}

/**
 * Presses the form's "Send my answers" button and returns the response to
 * the form's POST, after the next page has loaded.
 */
export async function send(page) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Send my answers' }).click(),
  ]);
  await page.waitForLoadState('load');
  return response;
}

/**
 * Signs the analyst in over the API, to make surveys for a test: create
 * stores a definition and opens it; setStatus opens or closes one.
 */
export async function staffAPI(server) {
  const api = await request.newContext({ baseURL: server.url });
  const res = await api.post('/api/v1/auth/login', { data: { email: ANALYST.email, password: ANALYST.password } });
  assert.equal(res.status(), 200, `analyst login: ${res.status()} ${await res.text()}`);
  const headers = { 'X-CSRF-Token': (await res.json()).csrf_token };
  const setStatus = async (slug, status) => {
    const r = await api.post(`/api/v1/surveys/${slug}/status`, { data: { status }, headers });
    assert.equal(r.status(), 200, `${status} ${slug}: ${r.status()} ${await r.text()}`);
  };
  const createSurvey = async (definition, status = 'open') => {
    const r = await api.post('/api/v1/surveys', { data: definition, headers });
    assert.equal(r.status(), 201, `create ${definition.slug}: ${r.status()} ${await r.text()}`);
    if (status !== 'draft') await setStatus(definition.slug, 'open');
    if (status === 'closed') await setStatus(definition.slug, 'closed');
  };
  /** Makes a batch of access codes: {batch, pdf}, where pdf is the cards' address, good once. */
  const createCodes = async (slug, count) => {
    const r = await api.post(`/api/v1/surveys/${slug}/codes`, { data: { count }, headers });
    assert.equal(r.status(), 201, `codes for ${slug}: ${r.status()} ${await r.text()}`);
    return r.json();
  };
  /** The codes' batches of a survey, with how many of each are spent. */
  const codeBatches = async (slug) => {
    const r = await api.get(`/api/v1/surveys/${slug}/codes`);
    assert.equal(r.status(), 200, `batches of ${slug}: ${r.status()} ${await r.text()}`);
    return (await r.json()).batches;
  };
  /**
   * Downloads a batch's printable cards (which works once) and reads them
   * back as a person and a phone would: the codes printed on them (with
   * pdftotext) and the addresses in their QR codes (with pdftoppm and
   * zbarimg).
   */
  const readCards = async (pdf) => {
    const r = await api.get(pdf);
    assert.equal(r.status(), 200, `the cards ${pdf}: ${r.status()} ${await r.text()}`);
    assert.equal(r.headers()['content-type'], 'application/pdf');
    return readCodeCards(await r.body());
  };
  return { createSurvey, setStatus, createCodes, codeBatches, readCards, dispose: () => api.dispose() };
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/**
 * Reads a PDF of code cards: {codes, links}, the codes as printed
 * ("7KM-3PX-Q9R"), in the order printed, and the QR codes' addresses.
 */
export async function readCodeCards(pdf) {
  const dir = await mkdtemp(join(tmpdir(), 'heard-cards-'));
  try {
    const file = join(dir, 'cards.pdf');
    await writeFile(file, pdf);
    const text = await run('pdftotext', ['-layout', file, '-']);
    const codes = [...text.matchAll(/\b([2-9A-Z]{3}-[2-9A-Z]{3}-[2-9A-Z]{3})\b/g)].map((m) => m[1]);
    await run('pdftoppm', ['-r', '150', '-png', file, join(dir, 'page')]);
    const pages = (await readdir(dir)).filter((f) => f.endsWith('.png')).map((f) => join(dir, f));
    // zbarimg exits 4 when a page has no QR code; every page of cards has some.
    const links = (await run('zbarimg', ['-q', '--raw', ...pages])).split('\n').map((l) => l.trim()).filter(Boolean);
    return { codes, links };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ----- The one-question-per-screen flow (JavaScript on) -----

/** The question on screen. */
export const currentQuestion = (page) => page.locator('fieldset.question:not([hidden])');

/** Answers the question on screen: its first choice, or some words. */
export async function answerCurrent(page, { tap = false, words = 'Playing out with my friends.' } = {}) {
  const fs = currentQuestion(page);
  if ((await fs.getAttribute('data-type')) === 'text') {
    await fs.locator('textarea').fill(words);
  } else {
    const label = fs.locator('label.choice').first();
    if (tap) await label.tap();
    else await label.click();
  }
}

/**
 * Goes on from the question on screen to the check-your-answers screen,
 * answering the i-th question on the way when answerEach(i) says so.
 */
export async function toReview(page, answerEach = () => false) {
  for (let i = 0; i < 60 && (await currentQuestion(page).count()) > 0; i++) {
    if (await answerEach(i)) await answerCurrent(page);
    await page.locator('.nav__next').click();
  }
  await page.locator('.review h2').waitFor();
}

/**
 * Waits until the service worker controls the page and has kept the page
 * for use offline (it keeps a page once the page has loaded, unless it
 * fetched the page itself).
 */
export async function keptOffline(page) {
  const kept = await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    // The cache has no event to wait for: look every 50 ms, for up to 10 s.
    for (let i = 0; i < 200; i++) {
      if (navigator.serviceWorker.controller && await caches.match(location.href)) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  });
  assert.ok(kept, `the service worker did not keep ${page.url()} within 10s`);
}
