// The survey with JavaScript, on a phone: one question per screen, answers
// kept on the device, sent through the API, sent later when the phone was
// offline, and the same screens in Arabic, mirrored.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  TEST_TIMEOUT, answerCurrent, assertAccessible, assertNoHorizontalScroll, assertNoPageErrors, assertSameHost,
  currentQuestion as current, eventually, keptOffline, screenshot, staffAPI, toReview, useHeard,
} from './helpers.mjs';

const heard = useHeard({ results: true });
const SLUG = 'cared-for-2026';
const phone = { width: 360, height: 640, hasTouch: true, isMobile: true };

/** What has focus, in words. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el.tagName.toLowerCase(), text: el.textContent.trim(), id: el.id, cls: el.className };
  });
}

const progressKey = (version) => `heard:${SLUG}:${version}`;

test('a whole survey with JavaScript at 360x640 by touch', TEST_TIMEOUT, async (t) => {
  const before = await heard.results.count(SLUG);
  const page = await heard.open(t, phone);
  await page.goto(`/s/${SLUG}/11-18`);
  await page.getByRole('button', { name: 'Start', exact: true }).tap();

  const seen = [];
  let checkedBack = false;
  for (let i = 0; i < 60 && (await current(page).count()) > 0; i++) {
    const fs = current(page);
    const key = await fs.getAttribute('data-key');
    seen.push(key);
    // Focus is on the question, which says where the young person is.
    const f = await focused(page);
    assert.equal(f.tag, 'legend', `focus on the question ${key}, not ${JSON.stringify(f)}`);
    assert.match(f.text, new RegExp(`^Question ${seen.length} of \\d+`), `${key} says where it is: ${f.text}`);
    if (i === 0) {
      // Every control is a large target.
      const small = await page.locator('fieldset.question:not([hidden]) label.choice, .nav button, .question-tools button')
        .evaluateAll((els) => els.map((el) => ({ t: el.textContent.trim(), r: el.getBoundingClientRect() }))
          .filter(({ r }) => r.width < 44 || r.height < 44).map(({ t, r }) => `${t} ${r.width}x${r.height}`));
      assert.deepEqual(small, [], 'targets of at least 44x44');
      await screenshot(page, 'flow-question-touch', { fullPage: false });
    }
    await answerCurrent(page, { tap: true });
    if (seen.length === 3 && !checkedBack) {
      // Back shows the answer given, kept.
      checkedBack = true;
      await page.locator('.nav__back').tap();
      assert.equal(await current(page).getAttribute('data-key'), seen[1]);
      assert.ok(await current(page).locator('input').first().isChecked(), 'the earlier answer is kept');
      await page.locator('.nav__next').tap();
      assert.equal(await current(page).getAttribute('data-key'), key);
      assert.ok(await current(page).locator('input').first().isChecked(), 'and so is this one');
      seen.pop();
      continue;
    }
    await page.locator('.nav__next').tap();
  }
  // The first answer to "Do you know who your social worker is?" is "Yes",
  // which shows the follow-up; "Yes" to "Do you feel settled" hides its own.
  assert.ok(seen.includes('see_social_worker_alone'), 'a question shown by an answer was asked');
  assert.ok(!seen.includes('why_not_settled'), 'a question hidden by an answer was not asked');
  assert.equal(new Set(seen).size, seen.length, 'no question twice');

  assert.equal((await focused(page)).text, 'Check your answers');
  assert.ok(await page.locator('.review-list dt').count() === seen.length, 'every question asked is in the check');
  await screenshot(page, 'flow-review', { fullPage: false });
  await page.getByRole('button', { name: 'Send my answers' }).tap();
  await page.waitForURL(`**/s/${SLUG}/11-18/thanks`);
  assert.equal(await page.locator('h1').textContent(), 'Thank you. Your answers have been sent.');
  assert.equal(await eventually(() => heard.results.count(SLUG), before + 1), before + 1, 'stored once');
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), progressKey('11-18')), null, 'wiped from the phone');
  assertNoPageErrors(page);
  assertSameHost(page);
});

test('a reload or a closed tab resumes where the young person was; Start again clears', TEST_TIMEOUT, async (t) => {
  const page = await heard.open(t, phone);
  await page.goto(`/s/${SLUG}/8-11`);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  const keys = [];
  for (let i = 0; i < 3; i++) {
    keys.push(await current(page).getAttribute('data-key'));
    await answerCurrent(page);
    await page.locator('.nav__next').click();
  }
  const fourth = await current(page).getAttribute('data-key');

  await page.reload();
  assert.equal(await current(page).getAttribute('data-key'), fourth, 'a reload comes back to the same question');
  assert.match(await current(page).locator('legend').textContent(), /^Question 4 of/);
  await page.locator('.nav__back').click();
  assert.equal(await current(page).getAttribute('data-key'), keys[2]);
  assert.ok(await current(page).locator('input').first().isChecked(), 'its answer is kept');

  // A new tab, as after the phone was switched off.
  await page.close();
  const again = await page.context().newPage();
  await again.goto(`/s/${SLUG}/8-11`);
  assert.equal(await current(again).getAttribute('data-key'), keys[2]);
  const saved = JSON.parse(await again.evaluate((k) => localStorage.getItem(k), progressKey('8-11')));
  assert.match(saved.id, /^[0-9a-f-]{36}$/, 'the response id is kept with the answers');
  assert.equal(Object.values(saved.answers).filter((v) => v !== null && v !== '' && !(Array.isArray(v) && !v.length)).length, 3);

  again.once('dialog', (d) => d.accept());
  await again.getByRole('button', { name: 'Start again' }).click();
  await again.waitForLoadState('load');
  await again.getByRole('button', { name: 'Start', exact: true }).waitFor();
  const fresh = JSON.parse(await again.evaluate((k) => localStorage.getItem(k), progressKey('8-11')) ?? 'null');
  assert.ok(!fresh || Object.values(fresh.answers ?? {}).every((v) => v === null || v === '' || (Array.isArray(v) && !v.length)),
    'Start again clears the answers');
  assert.notEqual(fresh?.id, saved.id, 'and starts a new response');
});

describe('with no connection', () => {
  /** The outbox entries, as the service worker sees them. */
  const outbox = (page) => page.evaluate(() => new Promise((resolve, reject) => {
    const req = indexedDB.open('heard', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('outbox', { keyPath: 'id' });
    req.onsuccess = () => {
      const all = req.result.transaction('outbox').objectStore('outbox').getAll();
      all.onsuccess = () => resolve(all.result.map((e) => e.state));
    };
    req.onerror = () => reject(req.error);
  }));

  /** Records the answers the context (page and service worker) sends, by the status of each reply. */
  function watchPosts(context) {
    const posts = [];
    context.on('response', (r) => {
      if (r.request().method() === 'POST' && r.url().endsWith(`/api/v1/surveys/${SLUG}/responses`)) posts.push(r.status());
    });
    return posts;
  }

  /**
   * Opens the 4-7 version, kept for use offline, answers two questions,
   * loses the connection, answers the rest and sends them: the answers
   * are saved on the phone.
   */
  async function sentOffline(t) {
    const page = await heard.open(t, phone);
    await page.goto(`/s/${SLUG}/4-7`);
    await keptOffline(page);
    await page.getByRole('button', { name: 'Start', exact: true }).tap();
    for (let i = 0; i < 2; i++) {
      await answerCurrent(page, { tap: true });
      await page.locator('.nav__next').tap();
    }
    await page.context().setOffline(true);
    // The screens go on with no connection.
    await toReview(page, () => true);
    await page.getByRole('button', { name: 'Send my answers' }).tap();
    const heading = page.getByRole('heading', { name: 'Your answers are saved on this phone' });
    await heading.waitFor();
    return { page, heading };
  }

  test('lost in the middle: the answers are saved on the phone, and sent once when it is back online', TEST_TIMEOUT, async (t) => {
    const before = await heard.results.count(SLUG);
    const { page, heading } = await sentOffline(t);
    const posts = watchPosts(page.context());
    // Plain words, where the young person is looking.
    assert.equal((await focused(page)).text, 'Your answers are saved on this phone');
    const notice = await page.locator('.notice').textContent();
    assert.match(notice, /There's no internet connection just now, so your answers haven't been sent yet\./);
    assert.match(notice, /they will send themselves when the phone is back online\. You don't need to do anything else/);
    assert.deepEqual(await outbox(page), ['queued']);
    await screenshot(page, 'flow-offline-queued', { fullPage: false });
    await assertAccessible(page, 'the offline screen');

    // The page works offline: a reload shows the same, and nothing is stored.
    await page.reload();
    await heading.waitFor();
    assert.equal(await heard.results.count(SLUG), before, 'nothing stored while offline');

    await page.context().setOffline(false);
    await page.waitForURL(`**/s/${SLUG}/4-7/thanks`, { timeout: 15_000 });
    assert.equal(await page.locator('h1').textContent(), 'Thank you. Your answers have been sent.');
    assert.equal(await eventually(() => heard.results.count(SLUG), before + 1), before + 1);
    // Nothing is left to send again: wiped from the phone and from the outbox.
    assert.equal(await page.evaluate((k) => localStorage.getItem(k), progressKey('4-7')), null, 'wiped from the phone');
    assert.deepEqual(await outbox(page), [], 'and from the outbox');
    assert.deepEqual(posts.filter((s) => s === 201), [201], `stored once: ${posts}`);
    assert.equal(await heard.results.count(SLUG), before + 1, 'stored exactly once');
    assertNoPageErrors(page);
  });

  test('sent offline, the page closed, opened again online later: they send themselves, once', TEST_TIMEOUT, async (t) => {
    const before = await heard.results.count(SLUG);
    const { page } = await sentOffline(t);
    const context = page.context();
    const posts = watchPosts(context);
    await page.close();

    await context.setOffline(false);
    const later = await context.newPage();
    await later.goto(`/s/${SLUG}/4-7`);
    await later.waitForURL(`**/s/${SLUG}/4-7/thanks`, { timeout: 15_000 });
    assert.equal(await later.locator('h1').textContent(), 'Thank you. Your answers have been sent.');
    assert.equal(await eventually(() => heard.results.count(SLUG), before + 1), before + 1);
    assert.deepEqual(await outbox(later), [], 'nothing left in the outbox');
    assert.equal(await later.evaluate((k) => localStorage.getItem(k), progressKey('4-7')), null, 'wiped from the phone');
    assert.deepEqual(posts.filter((s) => s === 201), [201], `stored once: ${posts}`);
    assert.equal(await heard.results.count(SLUG), before + 1, 'stored exactly once');
  });

  test('sent offline and the tab closed: any page of Heard opened later sends them', TEST_TIMEOUT, async (t) => {
    const before = await heard.results.count(SLUG);
    const { page } = await sentOffline(t);
    const context = page.context();
    await page.close();

    await context.setOffline(false);
    const later = await context.newPage();
    await later.goto('/');
    assert.equal(await eventually(() => heard.results.count(SLUG), before + 1, 10_000), before + 1, 'sent from the start page');
    // The survey page, opened again, knows they have gone.
    await later.goto(`/s/${SLUG}/4-7`);
    await later.waitForURL(`**/s/${SLUG}/4-7/thanks`, { timeout: 10_000 });
    assert.equal(await heard.results.count(SLUG), before + 1, 'stored exactly once');
  });
});

test('switched to Arabic on a question: the same question, the answers kept, the screen mirrored', TEST_TIMEOUT, async (t) => {
  const page = await heard.open(t, { width: 390, height: 844 });
  await page.goto(`/s/${SLUG}/8-11`);
  assert.equal(await page.locator('html').getAttribute('dir'), 'ltr');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  const keys = [];
  for (let i = 0; i < 2; i++) {
    keys.push(await current(page).getAttribute('data-key'));
    await answerCurrent(page);
    await page.locator('.nav__next').click();
  }
  const third = await current(page).getAttribute('data-key');
  // In English, Back is on the left.
  const [backEn, nextEn] = [await page.locator('.nav__back').boundingBox(), await page.locator('.nav__next').boundingBox()];
  assert.ok(backEn.x < nextEn.x, 'in English, Back is on the left of Next');

  await page.getByRole('button', { name: 'العربية' }).click();
  await page.waitForURL('**/8-11?lang=ar');
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
  assert.equal(await current(page).getAttribute('data-key'), third, 'the same question');
  assert.match(await current(page).locator('legend').textContent(), /^السؤال 3 من \d+/);
  assert.equal(await page.locator('.nav__back').textContent(), 'السابق');

  // Mirrored: Back on the right of Next, the bar filling from the right,
  // each button on the right of its words, and the text against the right edge.
  const geometry = await page.evaluate(() => {
    const box = (el) => el.getBoundingClientRect();
    const q = document.querySelector('fieldset.question:not([hidden])');
    const choice = q.querySelector('label.choice');
    // Where the words of an element's first line are: the rectangles of
    // its text (a line of Arabic and digits is several), not of its box.
    const words = (el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0);
      const line = rects.filter((r) => Math.abs(r.top - rects[0].top) < 2);
      return { left: Math.min(...line.map((r) => r.left)), right: Math.max(...line.map((r) => r.right)) };
    };
    const padded = (el) => {
      const s = getComputedStyle(el);
      const r = box(el);
      return { left: r.left + parseFloat(s.paddingLeft), right: r.right - parseFloat(s.paddingRight) };
    };
    return {
      back: box(document.querySelector('.nav__back')), next: box(document.querySelector('.nav__next')),
      bar: box(document.querySelector('.progress')), fill: box(document.querySelector('.progress__bar')),
      radio: box(choice.querySelector('input')), label: box(choice.querySelector('.choice__label')),
      number: words(q.querySelector('.question__number')), legend: padded(q.querySelector('legend')),
      h1: words(document.querySelector('h1')), main: padded(document.querySelector('main')),
      align: getComputedStyle(q.querySelector('legend')).textAlign,
      siteName: box(document.querySelector('.site-name')), helpLink: box(document.querySelector('.help-link')),
    };
  });
  assert.ok(geometry.back.left > geometry.next.right - 1, `Back is on the right of Next: ${JSON.stringify([geometry.back, geometry.next])}`);
  assert.ok(Math.abs(geometry.bar.right - geometry.fill.right) <= 1 && geometry.fill.left > geometry.bar.left + 2,
    `the progress bar fills from the right: ${JSON.stringify([geometry.bar, geometry.fill])}`);
  assert.ok(geometry.radio.left > geometry.label.right - 1, 'each button is on the right of its words');
  assert.ok(['start', 'right'].includes(geometry.align), `the question is aligned to the start: ${geometry.align}`);
  assert.ok(Math.abs(geometry.number.right - geometry.legend.right) <= 2 && geometry.number.left - geometry.legend.left > 20,
    `"Question 3 of ..." sits against the right edge: ${JSON.stringify([geometry.number, geometry.legend])}`);
  assert.ok(Math.abs(geometry.h1.right - geometry.main.right) <= 2, `the heading's words start at the right: ${JSON.stringify([geometry.h1, geometry.main])}`);
  assert.ok(geometry.siteName.left > geometry.helpLink.left, 'the header is mirrored too');
  await screenshot(page, 'flow-question-ar', { fullPage: false });
  await assertAccessible(page, 'an Arabic question');
  await assertNoHorizontalScroll(page);

  // Back, in Arabic, to the answer given in English.
  await page.locator('.nav__back').click();
  assert.equal(await current(page).getAttribute('data-key'), keys[1]);
  assert.ok(await current(page).locator('input').first().isChecked(), 'the answer is kept');
  assert.match(await current(page).locator('legend').textContent(), /^السؤال 2 من \d+/);
  assertNoPageErrors(page);
});

for (const { version, colorScheme, width } of [
  { version: '4-7', colorScheme: 'light', width: 320 },
  { version: '4-7', colorScheme: 'dark', width: 390 },
  { version: '11-18', colorScheme: 'light', width: 320 },
]) {
  test(`every screen of ${version} (${colorScheme}, ${width}px): no axe violations, no sideways scroll at 200% text`, TEST_TIMEOUT, async (t) => {
    const page = await heard.open(t, { width, height: 640, colorScheme });
    await page.goto(`/s/${SLUG}/${version}`);
    const check = async (what) => {
      await assertAccessible(page, what);
      await assertNoHorizontalScroll(page, what);
      await page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
      await assertNoHorizontalScroll(page, `${what} at 200% text`);
      await page.evaluate(() => { document.documentElement.style.fontSize = ''; });
    };
    await check('the start screen');
    await screenshot(page, `flow-start-${version}-${colorScheme}`, { fullPage: false });
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    let n = 0;
    for (; n < 60 && (await current(page).count()) > 0; n++) {
      const key = await current(page).getAttribute('data-key');
      await answerCurrent(page);
      await check(`question ${key}`);
      await page.locator('.nav__next').click();
    }
    assert.ok(n >= 10, `${n} questions checked`);
    await check('the check-your-answers screen');
    assertNoPageErrors(page);
  });
}

describe('read aloud', () => {
  /** Records what the page asks the device to say. */
  const listen = (page) => page.addInitScript(() => {
    window.spoken = [];
    if (!window.speechSynthesis) return;
    window.speechSynthesis.speak = (u) => window.spoken.push({ text: u.text, lang: u.lang });
    window.speechSynthesis.cancel = () => {};
  });

  test('the 4-7 version offers it first, then reads each question and its answers', TEST_TIMEOUT, async (t) => {
    const page = await heard.open(t, phone);
    await listen(page);
    await page.goto(`/s/${SLUG}/4-7`);
    const offer = page.getByRole('button', { name: 'Read the questions to me' });
    const start = page.getByRole('button', { name: 'Start', exact: true });
    const [o, s] = [await offer.boundingBox(), await start.boundingBox()];
    assert.ok(o.y < s.y, 'read aloud comes before Start');
    assert.ok(o.height >= 64, `the offer is large (${o.height}px high)`);
    assert.equal(await offer.getAttribute('aria-pressed'), 'false');
    await offer.tap();
    assert.equal(await offer.getAttribute('aria-pressed'), 'true');
    await start.tap();
    const question = await current(page).locator('.question__text').textContent();
    let spoken = await page.evaluate(() => window.spoken.map((s) => s.text));
    assert.ok(spoken.includes(question), `the first question was read: ${spoken}`);
    for (const label of await current(page).locator('.choice__label').allTextContents()) {
      assert.ok(spoken.includes(label.trim()), `its answer "${label}" was read`);
    }
    await answerCurrent(page);
    await page.locator('.nav__next').tap();
    const second = await current(page).locator('.question__text').textContent();
    spoken = await page.evaluate(() => window.spoken.map((s) => s.text));
    assert.ok(spoken.includes(second), 'the next question is read as it appears');
    // The button reads it again.
    await page.evaluate(() => { window.spoken = []; });
    await page.getByRole('button', { name: 'Read this to me' }).tap();
    assert.equal(await page.evaluate(() => window.spoken[0]?.text), second);
    assert.equal(await page.evaluate(() => window.spoken[0]?.lang), 'en');
  });

  test('without speech on the device, there is no read-aloud button', TEST_TIMEOUT, async (t) => {
    const page = await heard.open(t, phone);
    await page.addInitScript(() => {
      delete window.speechSynthesis;
      delete Window.prototype.speechSynthesis;
    });
    await page.goto(`/s/${SLUG}/4-7`);
    assert.equal(await page.evaluate(() => 'speechSynthesis' in window), false);
    assert.equal(await page.locator('.read-offer').count(), 0);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    assert.equal(await page.locator('.read-aloud').count(), 0);
  });
});

test('a text answer says how many characters are left, politely, and is never cut', TEST_TIMEOUT, async (t) => {
  const page = await heard.open(t, phone);
  await page.goto(`/s/${SLUG}/4-7`);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  while ((await current(page).getAttribute('data-type')) !== 'text') await page.locator('.nav__next').click();
  const box = current(page).locator('textarea');
  assert.equal(await box.getAttribute('maxlength'), null, 'no maxlength');
  const count = current(page).locator('.count');
  assert.equal(await count.textContent(), 'You have 1,000 characters left');
  assert.equal(await count.getAttribute('aria-hidden'), 'true', 'the count on screen is not read at every key');
  await box.pressSequentially('My dog');
  assert.equal(await count.textContent(), 'You have 994 characters left');
  const live = current(page).locator('[aria-live=polite]');
  await page.waitForFunction((el) => el.textContent === 'You have 994 characters left', await live.elementHandle(), { timeout: 5_000 });

  const long = 'x'.repeat(1005);
  await box.fill(long);
  assert.equal(await count.textContent(), 'You have 5 characters too many');
  assert.equal((await box.inputValue()).length, 1005, 'nothing is cut');
  await page.locator('.nav__next').click();
  const error = current(page).locator('.error-message');
  assert.equal((await error.textContent()).replace(/^Error:\s*/, ''), 'Please keep this to 1000 characters or fewer. It is 1005 characters now.');
  assert.equal(await error.getAttribute('role'), 'alert');
  assert.equal(await box.getAttribute('aria-invalid'), 'true');
  await box.fill('My dog.');
  assert.equal(await current(page).locator('.error-message').count(), 0, 'the message goes once the answer is right');
});

test('switching language keeps the answers and the place', TEST_TIMEOUT, async (t) => {
  const page = await heard.open(t, phone);
  await page.goto(`/s/${SLUG}/8-11`);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  const first = await current(page).getAttribute('data-key');
  await answerCurrent(page);
  await page.locator('.nav__next').click();
  const second = await current(page).getAttribute('data-key');
  await page.getByRole('button', { name: 'Polski' }).click();
  await page.waitForURL('**/8-11?lang=pl');
  assert.equal(await page.locator('html').getAttribute('lang'), 'pl');
  assert.equal(await current(page).getAttribute('data-key'), second, 'the same question');
  assert.match(await current(page).locator('legend').textContent(), /^Pytanie 2 z \d+/);
  await page.locator('.nav__back').click();
  assert.equal(await current(page).getAttribute('data-key'), first);
  assert.ok(await current(page).locator('input').first().isChecked(), 'the answer is kept');
  assert.equal(await page.locator('.nav__next').textContent(), 'Dalej');
});

describe("the server's answer to the answers", () => {
  /** Sends the 8-11 answers with the API's reply replaced by one the test makes. */
  async function sendWithReply(t, reply, { lang = 'en' } = {}) {
    const page = await heard.open(t, phone);
    await page.route(`**/api/v1/surveys/${SLUG}/responses`, (route) => route.fulfill(reply));
    await page.goto(`/s/${SLUG}/8-11?lang=${lang}`);
    await page.locator('.start .button--big').click();
    await toReview(page, (i) => i < 3);
    await page.locator('.send button').click();
    return page;
  }

  test('422: each problem is shown translated beside its question, starting with the first', TEST_TIMEOUT, async (t) => {
    const page = await sendWithReply(t, {
      status: 422,
      contentType: 'application/json',
      body: JSON.stringify({
        error: 'Some answers need another look.',
        fields: { good_text: '...', life_satisfaction: '...' },
        problems: { good_text: { code: 'too_long', limit: 1000, length: 1200 }, life_satisfaction: { code: 'whole_number', min: 0, max: 10 } },
      }),
    }, { lang: 'pl' });
    await current(page).locator('.error-message').waitFor();
    assert.equal(await current(page).getAttribute('data-key'), 'life_satisfaction', 'the first question with a problem is shown');
    assert.equal((await focused(page)).tag, 'legend');
    const words = async (key) => (await page.locator(`#q-${key} .error-message`).textContent()).replace(/^Błąd:\s*/, '');
    assert.equal(await words('life_satisfaction'), 'Wybierz liczbę całkowitą od 0 do 10.');
    assert.equal(await words('good_text'), 'Odpowiedź może mieć najwyżej 1000 znaków. Liczba znaków teraz: 1200.');
    await assertAccessible(page, 'a question with a problem from the server');
  });

  test('503: try again later, with the answers still there', TEST_TIMEOUT, async (t) => {
    const page = await sendWithReply(t, { status: 503, contentType: 'application/json', body: '{"error":"busy"}' });
    const status = page.locator('.review .status');
    await page.waitForFunction((el) => el.textContent !== '', await status.elementHandle());
    assert.match(await status.textContent(), /Heard is busy just now\. Your answers are still saved on this phone\./);
    assert.equal(await status.getAttribute('role'), 'alert');
  });

  test('409 with a used code: a box for a new one', TEST_TIMEOUT, async (t) => {
    const page = await sendWithReply(t, {
      status: 409,
      contentType: 'application/json',
      body: JSON.stringify({ error: 'used', fields: { code: 'used' }, problems: { code: { code: 'code_used' } } }),
    });
    const box = page.getByLabel('Type the code from your card');
    await box.waitFor();
    assert.ok(await box.evaluate((el) => el === document.activeElement), 'focus is on the code box');
    assert.match(await page.locator('.code-field .error-message').textContent(), /That code has already been used/);
    await assertAccessible(page, 'the code box');
  });
});

test('a question that needs an answer asks for one kindly', TEST_TIMEOUT, async (t) => {
  const api = await staffAPI(heard.server);
  t.after(() => api.dispose());
  await api.createSurvey({
    slug: 'needs-an-answer', edition: 2026, kind: 'other', title: { en: 'One question' },
    versions: [{ key: 'all', label: { en: 'Everyone' }, questions: [
      { key: 'ok', type: 'scale', required: true, text: { en: 'Are you OK?' },
        choices: [{ key: 'yes', label: { en: 'Yes' } }, { key: 'no', label: { en: 'No' } }, { key: 'rather_not_say', label: { en: "I'd rather not say" } }] },
    ] }],
  });
  const page = await heard.open(t, phone);
  await page.goto('/s/needs-an-answer/all');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  assert.equal(await page.getByRole('button', { name: 'Skip this question' }).count(), 0, 'no Skip where an answer is needed');
  await page.locator('.nav__next').click();
  assert.equal((await current(page).locator('.error-message').textContent()).replace(/^Error:\s*/, ''), 'Please answer this question.');
  assert.equal(await current(page).getAttribute('data-key'), 'ok', 'still on the question');
  await current(page).getByText("I'd rather not say").click();
  await page.locator('.nav__next').click();
  await page.locator('.review h2').waitFor();
});
