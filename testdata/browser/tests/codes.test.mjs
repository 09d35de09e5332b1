// Access codes, as young people meet them: a card with a code and a QR
// code, handed out by a social worker. The code works once: a second
// phone with the same card is told so kindly, and nothing more is stored.
// A code typed wrong is explained; typing it is the only thing asked; and
// too many wrong codes pause the phone for a while (429).
//
// Codes are made and printed through the staff API, and read back from
// the printed PDF: the codes with pdftotext, the links with zbarimg, as a
// phone's camera reads them.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { request } from 'playwright-core';
import {
  TEST_TIMEOUT, answerCurrent, assertNoPageErrors, checkPage, eventually, openPage, startServer, staffAPI, toReview, useHeard,
} from './helpers.mjs';

const heard = useHeard({ results: true });
const phone = { width: 360, height: 640, hasTouch: true, isMobile: true };

/** A short survey that needs a code from a card. */
const definition = (slug) => ({
  slug, edition: 2026, kind: 'other', require_code: true,
  title: { en: 'Your say on contact', ar: 'رأيك في التواصل' },
  versions: [{
    key: 'all', label: { en: 'Everyone' }, questions: [
      { key: 'ok', type: 'scale', text: { en: 'Do you see your family as much as you want?' },
        choices: [{ key: 'yes', label: { en: 'Yes' } }, { key: 'sometimes', label: { en: 'Sometimes' } }, { key: 'no', label: { en: 'No' } }] },
      { key: 'why', type: 'text', text: { en: 'Tell us more, if you like.' } },
    ],
  }],
});

/** The canonical form of a code: capitals, no dashes. */
const canonical = (code) => code.replace(/[\s-]/g, '').toUpperCase();

/** Sends answers with a code through the API, as a phone's script does. */
async function sendWithCode(api, slug, code) {
  const r = await api.post(`/api/v1/surveys/${slug}/responses`, {
    data: { id: randomUUID(), version: 'all', lang: 'en', answers: { ok: 'yes' }, code },
  });
  return r.status();
}

test('a code from a card works once; the same code again is kindly refused, and nothing more is stored', TEST_TIMEOUT, async (t) => {
  const slug = 'codes-used-twice';
  const api = await staffAPI(heard.server);
  t.after(() => api.dispose());
  await api.createSurvey(definition(slug));
  // Five answers first, with codes of their own, so that the count of
  // answers is shown at all (smaller numbers are suppressed).
  const seed = await api.createCodes(slug, 5);
  const seedCards = await api.readCards(seed.pdf);
  const anyone = await request.newContext({ baseURL: heard.server.url });
  t.after(() => anyone.dispose());
  for (const code of seedCards.codes) assert.equal(await sendWithCode(anyone, slug, code), 201);
  assert.equal(await eventually(() => heard.results.count(slug), 5), 5);

  // The batch of two cards, printed once.
  const { batch, pdf } = await api.createCodes(slug, 2);
  const cards = await api.readCards(pdf);
  assert.equal(cards.codes.length, 2, `two codes printed: ${cards.codes}`);
  assert.equal(cards.links.length, 2, `two QR codes: ${cards.links}`);
  const linked = cards.links.map((l) => canonical(new URL(l).searchParams.get('code')));
  assert.deepEqual([...linked].sort(), cards.codes.map(canonical).sort(), 'each QR code holds the code printed beside it');
  for (const l of cards.links) assert.equal(new URL(l).pathname, `/s/${slug}`);
  const again = await api.readCards(pdf).then(() => 'printed twice', (err) => err.message);
  assert.notEqual(again, 'printed twice', 'the cards can be downloaded only once');

  // A phone's camera opens the QR code's address (on this server).
  const qr = new URL(cards.links[0]);
  const code = canonical(qr.searchParams.get('code'));
  const address = `${qr.pathname}${qr.search}`;
  const page = await heard.open(t, phone);
  const res = await page.goto(address);
  assert.equal(res.status(), 200);
  const formatted = cards.codes.find((c) => canonical(c) === code);
  assert.match(await page.locator('.panel--success').textContent(), new RegExp(`Your code ${formatted} works`));
  await page.getByRole('link', { name: 'Everyone' }).tap();
  await page.waitForURL(`**/s/${slug}/all?code=${code}`);
  await page.getByRole('button', { name: 'Start', exact: true }).tap();
  await answerCurrent(page, { tap: true });
  await page.locator('.nav__next').tap();
  await toReview(page, () => true);
  await page.getByRole('button', { name: 'Send my answers' }).tap();
  await page.waitForURL(`**/s/${slug}/all/thanks`);
  assert.equal(await page.locator('h1').textContent(), 'Thank you. Your answers have been sent.');
  assert.equal(await eventually(() => heard.results.count(slug), 6), 6, 'stored once');
  const spent = async () => (await api.codeBatches(slug)).find((b) => b.id === batch.id).spent;
  assert.equal(await spent(), 1, 'the code is spent');
  assertNoPageErrors(page);

  // Another phone (a fresh browser), the same card.
  const other = await heard.open(t, phone);
  const used = await other.goto(address);
  assert.equal(used.status(), 409);
  const message = other.locator('#code-error');
  assert.equal(await message.getAttribute('role'), 'alert');
  assert.equal((await message.textContent()).replace(/^\s*Error:\s*/, '').trim(),
    "That code has already been used. Each code works once. If you haven't answered yet, ask the person who gave you the card for a new one.");
  assert.equal(await other.locator('#code').getAttribute('aria-invalid'), 'true');
  assert.equal(await other.locator('main .link-list a').count(), 0, 'no way into the survey');
  await checkPage(other, 'code-used');
  // Straight to the form with the code: the same.
  const form = await other.goto(`/s/${slug}/all?code=${code}`);
  assert.equal(form.status(), 409);
  assert.equal(await other.locator('form.survey').count(), 0, 'no form');
  // And the answers sent anyway, through the API, are refused.
  assert.equal(await sendWithCode(anyone, slug, code), 409);
  assert.equal(await heard.results.count(slug), 6, 'nothing more stored');
  assert.equal(await spent(), 1);
  assertNoPageErrors(other);
});

test('typing a code: only the code is asked; a wrong or missing code is explained; any case and spacing works', TEST_TIMEOUT, async (t) => {
  const slug = 'codes-typed';
  const api = await staffAPI(heard.server);
  t.after(() => api.dispose());
  await api.createSurvey(definition(slug));
  const { codes } = await api.readCards((await api.createCodes(slug, 1)).pdf);

  const page = await heard.open(t, phone);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  assert.equal((await page.goto(`/s/${slug}`)).status(), 200);
  // Nothing to remember, solve or copy out letter by letter but the code
  // (WCAG 2.2, 3.3.8): one box, which takes a pasted code.
  const form = page.locator('form.code-form');
  const fields = await form.locator('input:not([type=hidden]), select, textarea').evaluateAll((els) =>
    els.map((el) => `${el.tagName.toLowerCase()}#${el.id}[type=${el.type}]`));
  assert.deepEqual(fields, ['input#code[type=text]'], 'one box, for the code');
  assert.equal(await form.locator('input[type=password]').count(), 0);
  assert.equal(await page.getByLabel('Type the code from your card').count(), 1);
  assert.match(await page.locator('#code-hint').textContent(), /Capital or small letters, spaces and dashes are all fine/);
  await checkPage(page, 'code-entry');

  // A wrong code.
  await page.getByLabel('Type the code from your card').fill('ABC-DEF-GHJ');
  const [wrong] = await Promise.all([page.waitForResponse((r) => r.url().includes('code=')), page.getByRole('button', { name: 'Check my code' }).tap()]);
  assert.equal(wrong.status(), 422);
  await page.waitForLoadState('load');
  assert.equal((await page.locator('#code-error').textContent()).replace(/^\s*Error:\s*/, '').trim(),
    "We don't recognise that code. Please check it against your card and try again.");
  assert.match(await page.title(), /^Error: /);
  assert.equal(await page.locator('#code').inputValue(), 'ABC-DEF-GHJ', 'what was typed is there to correct');
  assert.ok(await page.locator('#code').evaluate((el) => el === document.activeElement), 'focus is on the box');
  assert.ok((await page.locator('#code').getAttribute('aria-describedby')).split(' ').includes('code-error'));
  await checkPage(page, 'code-wrong');

  // No code at all.
  await page.locator('#code').fill('');
  await Promise.all([page.waitForResponse((r) => r.url().includes('code=')), page.getByRole('button', { name: 'Check my code' }).tap()]);
  await page.waitForLoadState('load');
  assert.equal((await page.locator('#code-error').textContent()).replace(/^\s*Error:\s*/, '').trim(), 'Please type the code from your card.');
  await checkPage(page, 'code-missing');

  // The right code, pasted in small letters with spaces: it works.
  await page.evaluate((text) => navigator.clipboard.writeText(text), codes[0].toLowerCase().replace(/-/g, ' '));
  await page.locator('#code').fill('');
  await page.locator('#code').focus();
  await page.keyboard.press('Control+V');
  assert.equal(await page.locator('#code').inputValue(), codes[0].toLowerCase().replace(/-/g, ' '), 'a code can be pasted');
  await Promise.all([page.waitForResponse((r) => r.url().includes('code=')), page.getByRole('button', { name: 'Check my code' }).tap()]);
  await page.waitForLoadState('load');
  assert.match(await page.locator('.panel--success').textContent(), new RegExp(`Your code ${codes[0]} works`));
  await checkPage(page, 'code-works');
  await page.getByRole('link', { name: 'Everyone' }).tap();
  await page.getByRole('button', { name: 'Start', exact: true }).waitFor();
  assertNoPageErrors(page);
});

test('too many wrong codes: a kind page says to wait (429), counting each wrong code once', { timeout: 120_000 }, async (t) => {
  // A server of its own: the pause holds for every survey on it, from this address.
  const server = await startServer();
  t.after(() => server.stop());
  const slug = 'codes-too-many';
  const api = await staffAPI(server);
  t.after(() => api.dispose());
  await api.createSurvey(definition(slug));
  const { codes } = await api.readCards((await api.createCodes(slug, 1)).pdf);

  // With the page's script running, as on a phone: ten wrong codes are allowed.
  const page = await openPage(t, heard.browser, server, phone);
  for (let i = 0; i < 10; i++) {
    const res = await page.goto(`/s/${slug}?code=ZZZ-ZZZ-ZZ${'23456789AB'[i]}`);
    assert.equal(res.status(), 422, `wrong code ${i + 1}`);
    await page.waitForLoadState('load');
  }
  // The eleventh, even a right one, waits.
  const res = await page.goto(`/s/${slug}?code=${codes[0]}`);
  assert.equal(res.status(), 429);
  const retry = Number((await res.allHeaders())['retry-after']);
  assert.ok(retry > 0 && retry <= 15 * 60, `Retry-After: ${retry}`);
  assert.equal(await page.locator('h1').textContent(), 'Too many tries');
  assert.match(await page.locator('main').textContent(), /Please wait 15 minutes, then try again\. If your code still doesn't work, ask the person who gave you the card\./);
  assert.equal(await page.locator(`main a[href="/s/${slug}"]`).textContent(), 'Try your code again');
  assert.equal(await page.locator('main a[href="/help"]').count(), 1, 'a way to help');
  for (const width of [320, 390]) {
    for (const lang of ['en', 'ar']) {
      const p = await openPage(t, heard.browser, server, { ...phone, width });
      const r = await p.goto(`/s/${slug}?code=${codes[0]}${lang === 'en' ? '' : `&lang=${lang}`}`);
      assert.equal(r.status(), 429);
      assert.equal(await p.locator('html').getAttribute('dir'), lang === 'ar' ? 'rtl' : 'ltr');
      await checkPage(p, `too-many-tries-${lang}`);
    }
  }
});
