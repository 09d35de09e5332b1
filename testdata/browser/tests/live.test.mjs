// A MADE live session in a real browser: a facilitator prepares a session
// of all six kinds of activity and starts it; the projector (1920x1080)
// and three phones (390x844) follow it without reloading while phones
// join by code and by the QR code's link, vote, post and like; a sweary
// post waits for the facilitator; a worrying one never reaches the screen,
// shows the phone where to get help and reaches the safeguarding lead; a
// phone that loses its signal posts once; a phone without JavaScript takes
// part with plain forms; two instances share one database (`heard
// database`). Every page is checked with axe-core, and the phone's pages
// and the console for sideways scrolling at 320px.
//
// The server runs with the lowest suppression threshold, 3, so that three
// phones give figures the projector may show.

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import {
  SCREENSHOTS, STAFF, assertAccessible, assertNoHorizontalScroll, assertNoPageErrors, checkPage, eventually, openPage, screenshot,
  startServer, useHeard,
} from './helpers.mjs';

const THRESHOLD = 3;
const heard = useHeard({ staff: true, env: { HEARD_SUPPRESSION_THRESHOLD: String(THRESHOLD) } });
const SLOW = { timeout: 90_000 };
const PROJECTOR = { width: 1920, height: 1080 };

/** The session's activities, in order, as the facilitator types them. */
const POLL = { prompt: 'Where should we meet next time?', options: ['Library', 'Youth centre', 'Bowling'] };
const BOARD = { prompt: 'What should change?', columns: ["What's good", 'What should change'] };
const DOTS = { prompt: 'Which ideas matter most?' };
const WORDS = { prompt: 'Two words for today' };
const RATING = { prompt: 'How well do we keep our promises?', statements: ['We listen to you.', 'You have a worker you trust.'] };
const QUESTION = { prompt: 'Anything else you want to tell us?' };

/** What the tests share: the session made by the first. */
const session = {};

/** Opens a page and signs in as role with the sign-in form. */
async function signIn(t, role, { width = 1280, height = 900, server = heard.server } = {}) {
  const page = await openPage(t, heard.browser, server, { width, height });
  await page.goto('/staff/sign-in');
  await page.getByLabel('Email address').fill(STAFF[role].email);
  await page.getByLabel('Password').fill(STAFF[role].password);
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.pathname === '/staff' || u.pathname === '/staff/');
  return page;
}

/** Opens the facilitator's console of the session. */
async function console_(t, { width = 1280 } = {}) {
  const page = await signIn(t, 'facilitator', { width });
  await page.goto(`/staff/sessions/${session.id}`);
  return page;
}

/** Presses a button of the console (a form) and waits for the page it gives. */
async function press(consolePage, name) {
  await Promise.all([consolePage.waitForURL(/\/staff\/sessions\/[0-9a-f]+(\?|#|$)/), consolePage.getByRole('button', { name, exact: true }).click()]);
  await consolePage.waitForLoadState('load');
}

/** Opens the projector's view in a context of its own. */
async function projector(t, { server = heard.server, ...size } = PROJECTOR) {
  const page = await openPage(t, heard.browser, server, size);
  await page.goto(session.presentPath);
  // A mark that a reload would wipe: the screen must follow without one.
  await page.evaluate(() => { window.heardKept = true; });
  return page;
}

/** Says whether the page has not been loaded again since projector() marked it. */
const notReloaded = (page) => page.evaluate(() => window.heardKept === true);

/** Opens a phone and joins by typing the code at /join. */
async function joinByCode(t, typed, options = {}) {
  const page = await openPage(t, heard.browser, options.server ?? heard.server, options);
  await page.goto('/join');
  await page.getByLabel('Code').fill(typed);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.waitForURL(`**/live/${session.code}`);
  return page;
}

/** Waits until the phone (which follows the session by itself) shows the activity. */
async function phoneShows(page, prompt) {
  await page.getByRole('heading', { level: 1, name: prompt }).waitFor({ timeout: 10_000 });
}

/** Sends the phone's form with its Send button and waits for the thanks. */
async function sendOnPhone(page, thanks = /Thanks, we've got it\./) {
  await Promise.all([page.waitForURL(/sent=/), page.getByRole('button', { name: 'Send', exact: true }).click()]);
  assert.match(await page.locator('.live__sent, .panel--help').first().textContent(), thanks);
}

/** Posts an idea from a phone with the script. */
async function postIdea(page, text, thanks) {
  await page.getByLabel('Your idea').fill(text);
  await sendOnPhone(page, thanks);
}

/** The like button of an idea, named after it ("Like: the idea", read with a pause). */
const likeButton = (page, idea, options = {}) => page.getByRole('button', { name: new RegExp(`^Like\\W+${idea}$`), ...options });

/** The console's item of the post with text (its merge list names the others). */
const consolePost = (page, text) => page.locator('.console-post').filter({ has: page.locator('.console-post-text', { hasText: text }) });

/** The texts of the elements, trimmed and with spaces collapsed. */
const texts = async (locator) => (await locator.allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim());

/** How many of the elements hold text. */
const countOf = async (locator, text) => (await texts(locator)).filter((s) => s.includes(text)).length;

/** The phones' state of the session, as the server sends it (ideas the room may see). */
async function phoneState(page) {
  const res = await page.request.get(`/live/${session.code}/state?after=-1`);
  assert.equal(res.status(), 200);
  return res.json();
}

/** The address in a QR code on the page, read back with zbarimg. */
async function readQR(page, selector) {
  const dir = await mkdtemp(join(tmpdir(), 'heard-qr-'));
  try {
    const file = join(dir, 'qr.png');
    await page.locator(selector).screenshot({ path: file });
    return await new Promise((resolve, reject) => {
      execFile('zbarimg', ['-q', '--raw', file], (err, stdout) => (err ? reject(err) : resolve(stdout.trim())));
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Checks a phone's page with axe-core at 390px, then for sideways scroll at 320px. */
async function checkPhone(page, name) {
  await checkPage(page, name);
  await page.setViewportSize({ width: 320, height: 720 });
  await assertNoHorizontalScroll(page, `${name} at 320px`);
  await assertAccessible(page, `${name} at 320px`);
  await screenshot(page, name);
  await page.setViewportSize({ width: 390, height: 844 });
}

/**
 * Checks the projector is legible from the back of a room: every piece of
 * text of the session is at least minPx tall, and the join code fits its
 * box.
 */
async function checkLegible(page, minPx) {
  const { smallest, codeFits } = await page.evaluate(() => {
    const present = document.querySelector('.present');
    let smallest = { px: Infinity, text: '' };
    for (const el of present.querySelectorAll('*')) {
      const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
      if (!own || el.closest('.visually-hidden') || !el.getClientRects().length) continue;
      const px = parseFloat(getComputedStyle(el).fontSize);
      if (px < smallest.px) smallest = { px, text: el.textContent.trim().slice(0, 40) };
    }
    const code = document.querySelector('.present__code');
    const box = document.querySelector('.present__join').getBoundingClientRect();
    const r = code.getBoundingClientRect();
    return { smallest, codeFits: code.scrollWidth <= code.clientWidth && r.left >= box.left && r.right <= box.right };
  });
  assert.ok(smallest.px >= minPx, `text on the projector is ${smallest.px}px ("${smallest.text}"), under ${minPx}px`);
  assert.ok(codeFits, 'the join code sticks out of its box');
}

describe('a MADE session', () => {
  test('a facilitator prepares a session of all six kinds and starts it', SLOW, async (t) => {
    const page = await signIn(t, 'facilitator');
    await page.goto('/staff/sessions/new');
    await page.getByLabel('Title', { exact: true }).fill('Youth council check-in');
    const add = async (button, n, fill) => {
      await page.getByRole('button', { name: button }).click();
      await page.locator(`#a${n}`).waitFor();
      await fill(`#a${n}`);
    };
    await add('Add a poll', 0, async (a) => {
      await page.locator(`${a}-prompt`).fill(POLL.prompt);
      await page.locator(`${a}-options`).fill(POLL.options.join('\n'));
      await page.locator(`${a}-multiple`).check();
    });
    await add('Add an idea board', 1, async (a) => {
      await page.locator(`${a}-prompt`).fill(BOARD.prompt);
      await page.locator(`${a}-columns`).fill(BOARD.columns.join('\n'));
    });
    await add('Add a dot vote', 2, async (a) => {
      await page.locator(`${a}-prompt`).fill(DOTS.prompt);
      await page.locator(`${a}-from_ideas`).selectOption({ index: 1 });
    });
    await add('Add a word cloud', 3, async (a) => {
      await page.locator(`${a}-prompt`).fill(WORDS.prompt);
      await page.locator(`${a}-words`).fill('2');
    });
    await add('Add an emoji rating', 4, async (a) => {
      await page.locator(`${a}-prompt`).fill(RATING.prompt);
      await page.locator(`${a}-statements`).fill(RATING.statements.join('\n'));
    });
    await add('Add an open question', 5, async (a) => {
      await page.locator(`${a}-prompt`).fill(QUESTION.prompt);
    });
    await page.getByRole('button', { name: 'Save the session' }).first().click();
    await page.waitForURL(/\/staff\/sessions\/[0-9a-f]+\/edit\?done=session-created/);
    session.id = page.url().match(/sessions\/([0-9a-f]+)\/edit/)[1];

    await page.goto(`/staff/sessions/${session.id}`);
    await checkPage(page, 'live-console-draft');
    await press(page, 'Start the session');
    assert.match(page.url(), /done=started/);
    session.code = (await page.locator('.console-code').textContent()).trim();
    assert.match(session.code, /^[2-9A-Z]{6}$/);
    const link = new URL(await page.getByRole('link', { name: /Open the projector's view/ }).getAttribute('href'));
    assert.equal(link.pathname, `/present/${session.code}`);
    assert.match(link.searchParams.get('k'), /^[0-9a-f]{32}$/);
    session.presentPath = link.pathname + link.search;
    await checkPage(page, 'live-console-started');
    await page.setViewportSize({ width: 320, height: 800 });
    await assertNoHorizontalScroll(page, 'the console at 320px');
    await assertAccessible(page, 'the console at 320px');
    await screenshot(page, 'live-console-started');
  });

  test('three phones join, vote, post and like; the projector and the console follow without reloading', SLOW, async (t) => {
    const fac = await console_(t);
    const screen = await projector(t);
    assert.match(await screen.locator('.present__prompt').textContent(), /The next activity starts soon/);
    await checkPage(screen, 'live-present-waiting');
    await checkLegible(screen, 24);

    // The QR code on the screen holds the join link with the code.
    const qr = await readQR(screen, '.present__qr svg');
    assert.match(qr, new RegExp(`/join\\?code=${session.code}$`));
    assert.equal((await screen.locator('.present__code').textContent()).replace(/^Code:|\s/g, ''), session.code);

    // Two type the code (one as it is spaced on the screen, in small
    // letters); the third follows the QR code's link.
    const spaced = `${session.code.slice(0, 3)} ${session.code.slice(3)}`.toLowerCase();
    // The first tries a code of no session first: the mistake is named,
    // with focus on it.
    const first = await openPage(t, heard.browser, heard.server);
    await first.goto('/join');
    await checkPhone(first, 'live-join');
    await first.getByLabel('Code').fill('zzz zzz');
    await first.getByRole('button', { name: 'Join' }).click();
    const alert = first.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /There is no session with that code\. Check the big screen and try again\./);
    assert.equal(await first.evaluate(() => document.activeElement.className), 'error-summary');
    assert.equal(await first.getByLabel('Code').getAttribute('aria-invalid'), 'true');
    assert.match(await first.getByLabel('Code').getAttribute('aria-describedby'), /code-error/);
    await checkPhone(first, 'live-join-error');
    await first.getByLabel('Code').fill(spaced);
    await first.getByRole('button', { name: 'Join' }).click();
    await first.waitForURL(`**/live/${session.code}`);
    const phones = [first, await joinByCode(t, session.code)];
    const third = await openPage(t, heard.browser, heard.server);
    const qrLink = new URL(qr);
    await third.goto(qrLink.pathname + qrLink.search);
    await third.waitForURL(`**/live/${session.code}`);
    phones.push(third);
    for (const p of phones) await p.getByRole('heading', { level: 1, name: 'Waiting for the next activity' }).waitFor();
    await checkPhone(phones[0], 'live-phone-waiting');
    // Loading the page is not taking part: a young person counts once they
    // send something, so that page loads cannot fill the room.
    assert.equal((await screen.locator('.present__joined').textContent()).trim(), `Taking part: fewer than ${THRESHOLD}`);

    // The poll opens: the phones move on by themselves.
    await press(fac, 'Open activity 1');
    for (const p of phones) await phoneShows(p, POLL.prompt);
    await screen.locator('.present__prompt', { hasText: POLL.prompt }).waitFor();
    await checkPhone(phones[0], 'live-phone-poll');
    const votes = [['Library', 'Youth centre'], ['Library', 'Youth centre'], ['Library']];
    for (const [i, p] of phones.entries()) {
      for (const option of votes[i]) await p.getByLabel(option).check();
      await sendOnPhone(p);
    }
    // Said with the script on too (the survey's .note is hidden then).
    await phones[0].getByText("We've got your answer. You can change it while the activity is open.").waitFor();
    assert.ok(await phones[0].getByLabel('Youth centre').isChecked(), 'the phone shows its vote');
    await screen.locator('.present__answered', { hasText: 'Answered: 3' }).waitFor();
    await screen.locator('.present__joined', { hasText: 'Taking part: 3' }).waitFor();
    assert.match(await screen.locator('.present__hidden').textContent(), /Results show here when/);

    // Results are revealed: bars, suppressed below the threshold.
    await press(fac, 'Show results of activity 1');
    await screen.locator('.present-bar').first().waitFor();
    const bars = await texts(screen.locator('.present-bar'));
    assert.deepEqual(bars, ['Library3', `Youth centrefewer than ${THRESHOLD}`, `Bowlingfewer than ${THRESHOLD}`]);
    await checkPage(screen, 'live-present-poll');
    await checkLegible(screen, 24);
    assert.ok(await notReloaded(screen), 'the projector was loaded again');
    await fac.locator('.console-activities tbody tr').first().locator('td', { hasText: /^3$/ }).waitFor();

    // The idea board: each phone posts an idea; the others like it.
    await press(fac, 'Open activity 2');
    await press(fac, 'Show results of activity 2');
    for (const p of phones) await phoneShows(p, BOARD.prompt);
    await checkPhone(phones[0], 'live-phone-ideas');
    const ideas = ['More trips out at weekends', 'A youth club open on Sundays', 'Help with homework at the library'];
    for (const [i, p] of phones.entries()) {
      await p.getByLabel(BOARD.columns[1]).check();
      await postIdea(p, ideas[i]);
    }
    for (const idea of ideas) await screen.locator('.present-idea', { hasText: idea }).waitFor();
    assert.deepEqual(await texts(screen.locator('.present-column h2')), BOARD.columns);
    assert.equal(await screen.locator('.present-column').nth(1).locator('.present-idea').count(), 3);
    // The first phone loaded its page before the others posted: their
    // ideas came by the stream, each with a like button of its own.
    for (const [i, p] of phones.entries()) {
      for (const [j, idea] of ideas.entries()) {
        const like = likeButton(p, idea);
        if (i === j) {
          assert.equal(await like.count(), 0, 'a phone cannot like its own idea');
          continue;
        }
        await like.click();
        await likeButton(p, idea, { pressed: true }).waitFor();
      }
    }
    assert.match(await phones[0].locator('.idea', { hasText: ideas[2] }).textContent(), new RegExp(BOARD.columns[1]), 'an idea that came by the stream has no column');
    await checkPhone(phones[0], 'live-phone-ideas-liked');
    // Two likes each: fewer than the threshold, so not counted aloud.
    for (const idea of ideas) {
      await screen.locator('.present-idea', { hasText: idea }).locator('.present-idea__likes', { hasText: `Likes: fewer than ${THRESHOLD}` }).waitFor();
    }
    await checkPage(screen, 'live-present-ideas');
    await checkLegible(screen, 24);
    assert.ok(await notReloaded(screen), 'the projector was loaded again');

    // The console shows the posts as they come, without reloading.
    for (const idea of ideas) await consolePost(fac, idea).waitFor();
    assert.deepEqual((await texts(fac.locator('.console-post .muted'))).map((s) => s.split(' ·')[0]),
      ['On the screen', 'On the screen', 'On the screen']);
    await checkPage(fac, 'live-console-ideas');
    for (const p of [...phones, screen, fac]) assertNoPageErrors(p);
  });

  test('a post with a sweary word waits for the facilitator, who shows it', SLOW, async (t) => {
    const fac = await console_(t);
    const screen = await projector(t);
    const phone = await joinByCode(t, session.code);
    await phoneShows(phone, BOARD.prompt);
    // A keyboard user on a button of the console keeps their place while
    // posts come in.
    await consolePost(fac, 'More trips out at weekends').getByRole('button', { name: /^Hide/ }).focus();
    await postIdea(phone, 'The wifi in the house is shit', /will look at it before it goes on the big screen/);
    assert.match(await phone.locator('.live-yours').textContent(), /waiting for the person running the session/);

    const post = consolePost(fac, 'The wifi in the house is shit');
    await post.waitFor();
    assert.equal(await fac.evaluate(() => document.activeElement.textContent.replace(/\s+/g, ' ').trim()), 'Hide: More trips out at weekends');
    assert.match(await post.textContent(), /Held: a word on the profanity list/);
    await checkPage(fac, 'live-console-held');
    assert.equal(await countOf(screen.locator('.present-idea'), 'wifi'), 0, 'the held post is on the projector');

    await Promise.all([fac.waitForURL(/#live$/), post.getByRole('button', { name: /^Show/ }).click()]);
    await screen.locator('.present-idea', { hasText: 'The wifi in the house is shit' }).waitFor();
    assert.ok(await notReloaded(screen), 'the projector was loaded again');
    assert.match(await consolePost(fac, 'wifi').textContent(), /On the screen/);
  });

  test('a worrying post never reaches the projector; the phone shows where to get help; it reaches the safeguarding lead', SLOW, async (t) => {
    const worry = 'my stepdad hits me when hes angry';
    const fac = await console_(t);
    const screen = await projector(t);
    const phone = await joinByCode(t, session.code);
    await phoneShows(phone, BOARD.prompt);
    await postIdea(phone, worry, /Thank you for telling us/);
    const help = phone.getByRole('region', { name: 'Thank you for telling us' });
    assert.match(await help.textContent(), /Childline.*0800 1111/s);
    await checkPhone(phone, 'live-phone-help');

    const post = consolePost(fac, worry);
    await post.waitFor();
    assert.match(await post.textContent(), /This may be a worry\..*Follow it up gently in the room/s);
    assert.equal(await post.getByRole('button', { name: /^Show/ }).count(), 0, 'a worrying post can be put on the screen');
    await checkPage(fac, 'live-console-worry');

    // Whatever else happens on the screen, the worry is never on it.
    await press(fac, 'Hide results of activity 2');
    await press(fac, 'Show results of activity 2');
    await screen.locator('.present-idea').first().waitFor();
    assert.equal(await countOf(screen.locator('[data-present-live]'), 'stepdad'), 0);
    assert.ok(!(await screen.content()).includes('stepdad'), 'the worry is in the projector\'s page');
    assert.ok(!JSON.stringify(await phoneState(phone)).includes('stepdad'), 'the worry is in the phones\' state');

    const lead = await signIn(t, 'safeguarding_lead');
    await lead.goto('/staff/safeguarding');
    await lead.getByText(worry).first().waitFor();
    await checkPage(lead, 'live-safeguarding-queue');
  });

  test('a phone that loses its signal keeps its idea, and sends it once when back', SLOW, async (t) => {
    const fac = await console_(t);
    const screen = await projector(t);
    const phone = await joinByCode(t, session.code);
    await phoneShows(phone, BOARD.prompt);

    const idea = 'A film night once a month';
    await phone.context().setOffline(true);
    await phone.getByLabel('Your idea').fill(idea);
    await phone.getByRole('button', { name: 'Send', exact: true }).click();
    const status = phone.locator('[data-live-status]');
    await status.filter({ hasText: "You're offline" }).waitFor();
    assert.equal(await phone.getByLabel('Your idea').inputValue(), '', 'the kept idea is still in the box, to be sent again');
    assert.equal(await phone.evaluate((code) => JSON.parse(localStorage.getItem(`heard:live:${code}`)).length, session.code), 1);
    await screenshot(phone, 'live-phone-offline');

    // Back online, the phone sends it by itself and shows the thanks.
    await Promise.all([phone.waitForURL(/sent=ok/), phone.context().setOffline(false)]);
    assert.match(await phone.locator('.live-yours').textContent(), new RegExp(idea));

    // An answer lost on the way back: stored, but the phone never heard.
    const lost = 'Cooking lessons before leaving care';
    let dropped = 0;
    await phone.route(`**/live/${session.code}`, async (route) => {
      if (route.request().method() !== 'POST' || dropped++) return route.continue();
      await route.fetch();
      return route.abort('internetdisconnected');
    });
    await phone.getByLabel('Your idea').fill(lost);
    await phone.getByRole('button', { name: 'Send', exact: true }).click();
    await status.filter({ hasText: "You're offline" }).waitFor();
    // It tries again by itself within 5 seconds, and shows the thanks.
    await phone.waitForEvent('load', { timeout: 10_000 });
    assert.match(phone.url(), /sent=ok/);

    for (const text of [idea, lost]) {
      await screen.locator('.present-idea', { hasText: text }).waitFor();
      await consolePost(fac, text).waitFor();
      assert.equal(await countOf(screen.locator('.present-idea'), text), 1, `"${text}" on the projector`);
      assert.equal(await countOf(fac.locator('.console-post-text'), text), 1, `"${text}" in the console`);
      assert.equal((await phoneState(phone)).ideas.filter((i) => i.text === text).length, 1, `"${text}" in the state`);
    }
    assert.equal(await countOf(phone.locator('.live-yours li'), lost), 1);
    assert.ok(await notReloaded(screen), 'the projector was loaded again');
    assertNoPageErrors(phone);
  });

  test('without JavaScript, a phone joins, votes and posts with plain forms', SLOW, async (t) => {
    const fac = await console_(t);
    await press(fac, 'Open activity 1');
    const phone = await openPage(t, heard.browser, heard.server, { javaScriptEnabled: false });
    await phone.goto('/join');
    await phone.getByLabel('Code').fill(session.code);
    await phone.getByRole('button', { name: 'Join' }).click();
    await phone.waitForURL(`**/live/${session.code}`);
    await phoneShows(phone, POLL.prompt);
    await phone.getByLabel('Bowling').check();
    await sendOnPhone(phone);
    assert.ok(await phone.getByLabel('Bowling').isChecked());
    await checkPage(phone, 'live-phone-nojs-poll');

    // The page cannot follow by itself: a link looks again.
    await press(fac, 'Open activity 2');
    const again = phone.getByRole('link', { name: 'Check for the next activity' });
    assert.ok(await again.isVisible(), 'no link to check for the next activity');
    await again.click();
    await phoneShows(phone, BOARD.prompt);
    await phone.getByLabel(BOARD.columns[0]).check();
    await postIdea(phone, 'The staff at the youth centre are kind');
    assert.match(await phone.locator('.live-yours').textContent(), /The staff at the youth centre are kind \(on the big screen\)/);
    // It likes an idea with the like button's form.
    await Promise.all([phone.waitForURL(/sent=ok/), likeButton(phone, 'More trips out at weekends').click()]);
    await likeButton(phone, 'More trips out at weekends', { pressed: true }).waitFor();
    await checkPage(phone, 'live-phone-nojs-ideas');
    await consolePost(fac, 'The staff at the youth centre are kind').waitFor();
  });

  test('every kind of activity on a phone, the projector at 1920x1080 and at 200% zoom, the ended console and "you said, we did"', SLOW, async (t) => {
    const fac = await console_(t);
    const screen = await projector(t);
    // 200% zoom of the same 1920x1080 screen: the browser lays the page out
    // in a viewport of half the CSS pixels (960x540), each drawn as 2x2
    // device pixels. A context of that viewport and deviceScaleFactor 2 is
    // what the layout sees at that zoom (media queries, vw units, wrapping).
    const zoomed = await projector(t, { width: 960, height: 540, deviceScaleFactor: 2 });
    const phone = await joinByCode(t, session.code);

    const kinds = [
      { n: 3, name: 'dots', prompt: DOTS.prompt, answer: async () => {
        await phone.getByLabel('More trips out at weekends').fill('2');
        await phone.getByLabel('A youth club open on Sundays').fill('1');
      } },
      { n: 4, name: 'words', prompt: WORDS.prompt, answer: async () => {
        await phone.getByLabel('Word 1').fill('hopeful');
        await phone.getByLabel('Word 2').fill('listened');
      } },
      { n: 5, name: 'rating', prompt: RATING.prompt, answer: async () => {
        await phone.getByRole('group', { name: RATING.statements[0] }).getByLabel('Happy', { exact: true }).check();
        await phone.getByRole('group', { name: RATING.statements[1] }).getByLabel('Really happy').check();
      } },
      { n: 6, name: 'question', prompt: QUESTION.prompt, answer: async () => {
        await phone.getByLabel('Your answer').fill('Thanks for listening to us');
      } },
    ];
    for (const kind of kinds) {
      await press(fac, `Open activity ${kind.n}`);
      await press(fac, `Show results of activity ${kind.n}`);
      await phoneShows(phone, kind.prompt);
      await checkPhone(phone, `live-phone-${kind.name}`);
      await kind.answer();
      await sendOnPhone(phone);
      await checkPhone(phone, `live-phone-${kind.name}-sent`);
      for (const [page, name] of [[screen, 'live-present'], [zoomed, 'live-present-zoomed']]) {
        await page.locator('.present__prompt', { hasText: kind.prompt }).waitFor();
        await checkPage(page, `${name}-${kind.name}`);
      }
    }
    await checkLegible(screen, 24);
    // At 200%, text is twice as large on the screen: 18 CSS px is 36 of the screen's.
    await checkLegible(zoomed, 18);
    assert.ok(await notReloaded(screen) && await notReloaded(zoomed), 'the projector was loaded again');
    await screen.locator('.present-cloud__word', { hasText: 'hopeful' }).waitFor({ state: 'detached' }).catch(() => {});

    // Ended: the phone says so; the console shows the summary.
    await press(fac, 'End the session');
    await phone.getByRole('heading', { level: 1, name: 'The session has ended' }).waitFor();
    await screen.locator('.present__prompt', { hasText: 'Thank you! The session has ended.' }).waitFor();
    await checkPhone(phone, 'live-phone-ended');
    await checkPage(fac, 'live-console-ended');
    assert.match(await fac.getByRole('region', { name: 'Results', exact: true }).textContent(), /Activity 1: Where should we meet next time\?/);
    await fac.setViewportSize({ width: 320, height: 800 });
    await assertNoHorizontalScroll(fac, 'the ended console at 320px');
    await fac.setViewportSize({ width: 1280, height: 900 });

    // Published results reach "you said, we did".
    await fac.getByLabel(POLL.prompt).check();
    await fac.getByLabel(BOARD.prompt).check();
    await Promise.all([fac.waitForURL(/done=published/), fac.getByRole('button', { name: 'Save the choice' }).click()]);
    const ysww = await openPage(t, heard.browser, heard.server);
    await ysww.goto('/you-said-we-did');
    const card = ysww.locator('.session-results', { hasText: 'Youth council check-in' });
    await card.waitFor();
    assert.match(await card.textContent(), /More trips out at weekends/);
    assert.doesNotMatch(await card.textContent(), /stepdad/);
    await checkPage(ysww, 'live-you-said-we-did');
    await card.screenshot({ path: join(SCREENSHOTS, 'live-you-said-we-did-session-390.png') });
    await ysww.setViewportSize({ width: 320, height: 800 });
    await assertNoHorizontalScroll(ysww, '"you said, we did" at 320px');
    for (const p of [phone, screen, zoomed, fac]) assertNoPageErrors(p);
  });
});

/**
 * Starts `heard database` in a fresh data directory and returns the URI it
 * prints, and a function that stops it.
 */
async function startDatabase() {
  const dir = await mkdtemp(join(tmpdir(), 'heard-database-'));
  const child = spawn(process.env.HEARD_BIN, ['database'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir(), HEARD_DATA_DIR: dir, HEARD_LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let logs = '';
  child.stderr.on('data', (b) => { logs += b; });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const stop = async () => {
    child.kill('SIGTERM');
    const how = await exited;
    process.off('exit', killOnExit);
    await rm(dir, { recursive: true, force: true });
    assert.equal(how, 0, `heard database exited with ${how}:\n${logs}`);
  };
  const uri = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('MONGODB_URI=')) resolve(line.slice('MONGODB_URI='.length));
    });
    exited.then((how) => reject(new Error(`heard database exited with ${how}:\n${logs}`)));
    setTimeout(() => reject(new Error(`heard database printed no URI in 60s:\n${logs}`)), 60_000).unref();
  });
  return { uri, stop };
}

test('two instances share one database: a phone on one, the projector on the other', { timeout: 120_000 }, async (t) => {
  // Stopped last first: the browser's pages, then the servers, then the
  // database they share.
  const stops = [];
  t.after(async () => {
    for (const stop of stops.reverse()) await stop();
  });
  const db = await startDatabase();
  stops.push(db.stop);
  const env = { MONGODB_URI: db.uri, HEARD_SUPPRESSION_THRESHOLD: String(THRESHOLD) };
  const a = await startServer({ staff: true, env });
  stops.push(a.stop);
  const b = await startServer({ users: false, env });
  stops.push(b.stop);
  assert.notEqual(new URL(a.url).port, new URL(b.url).port);

  // The demo's session, started on A.
  const fac = await signIn(t, 'facilitator', { server: a });
  await fac.goto('/staff/sessions');
  await fac.getByRole('link', { name: 'Run: MADE North — Charter check' }).click();
  await press(fac, 'Start the session');
  const code = (await fac.locator('.console-code').textContent()).trim();
  const link = new URL(await fac.getByRole('link', { name: /Open the projector's view/ }).getAttribute('href'));
  await press(fac, 'Open activity 2');
  await press(fac, 'Show results of activity 2');
  const prompt = 'Tell us about being in care';

  stops.push(() => fac.context().close());
  const screen = await openPage(t, heard.browser, b, PROJECTOR);
  stops.push(() => screen.context().close());
  await screen.goto(link.pathname + link.search);
  await screen.evaluate(() => { window.heardKept = true; });
  await screen.locator('.present__prompt', { hasText: prompt }).waitFor();

  const phone = await openPage(t, heard.browser, a);
  stops.push(() => phone.context().close());
  await phone.goto(`/join?code=${code}`);
  await phone.getByRole('heading', { level: 1, name: prompt }).waitFor();
  await screen.locator('.present__joined', { hasText: `Taking part: fewer than ${THRESHOLD}` }).waitFor();
  await phone.getByLabel('Your idea').fill('Being asked what we think, like this');
  await Promise.all([phone.waitForURL(/sent=ok/), phone.getByRole('button', { name: 'Send', exact: true }).click()]);
  const started = Date.now();
  await screen.locator('.present-idea', { hasText: 'Being asked what we think, like this' }).waitFor({ timeout: 5_000 });
  t.diagnostic(`the post from instance A was on instance B's projector ${Date.now() - started} ms after A stored it`);
  assert.ok(await screen.evaluate(() => window.heardKept === true), 'the projector was loaded again');
  await screenshot(screen, 'live-present-two-instances');
});
