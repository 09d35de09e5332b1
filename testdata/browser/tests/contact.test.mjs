// "I would like someone to talk to me": a young person asks on the
// thank-you page, with JavaScript off (the plain form) and on, and in
// Arabic; a mistake is shown beside its box; the safeguarding lead finds
// the request on the home page and in the queue, reads it and records what
// was done; a board member cannot reach it. Every page is checked with
// axe-core and photographed.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { STAFF, TEST_TIMEOUT, answer, checkPage, send, useHeard } from './helpers.mjs';

const heard = useHeard({ staff: true });
const SLUG = 'cared-for-2026';
const SLOW = { timeout: 180_000 };

/** Answers the 4-7 version with the plain form and returns the thank-you page. */
async function thanksPage(t, options) {
  const page = await heard.open(t, options);
  await page.goto(`/s/${SLUG}/4-7`);
  await answer(page, { trusted_adult: 'yes', fun_things: 'sometimes', good_text: 'My dog.' });
  assert.equal((await send(page)).status(), 201);
  return page;
}

/** Fills in the form to ask for someone to talk and sends it. */
async function ask(page, { name, reach, message = '' }) {
  const form = page.getByRole('region', { name: 'Would you like someone to talk to you?' });
  await form.getByLabel('Your name').fill(name);
  await form.getByLabel('How can we reach you?').fill(reach);
  if (message) await form.getByLabel(/What would you like to talk about/).fill(message);
  await form.getByRole('button', { name: 'Ask someone to talk to me' }).click();
  await page.waitForLoadState('load');
}

/** Opens a page and signs in as role with the sign-in form. */
async function signIn(t, role, { width = 1280 } = {}) {
  const page = await heard.open(t, { width, height: 900 });
  await page.goto('/staff/sign-in');
  await page.getByLabel('Email address').fill(STAFF[role].email);
  await page.getByLabel('Password').fill(STAFF[role].password);
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.pathname === '/staff' || u.pathname === '/staff/');
  return page;
}

describe('a young person asks for someone to talk to them', () => {
  for (const width of [320, 390]) {
    test(`without JavaScript, at ${width}px, with a mistake first`, TEST_TIMEOUT, async (t) => {
      const page = await thanksPage(t, { width, scripts: false });
      const form = page.getByRole('region', { name: 'Would you like someone to talk to you?' });
      assert.match(await form.textContent(), /the only part of Heard that is not anonymous/);
      assert.match(await form.textContent(), /Only the safeguarding team at Test Council/);
      await checkPage(page, 'contact-thanks-no-js');

      // No way to reach them: the form comes back with what was typed.
      await form.getByLabel('Your name').fill(`Robin ${width}`);
      await form.getByRole('button', { name: 'Ask someone to talk to me' }).click();
      await page.waitForLoadState('load');
      await assert.doesNotReject(page.getByRole('alert').waitFor());
      assert.match(await page.getByRole('alert').textContent(), /Please tell us how we can reach you\./);
      assert.equal(await page.getByLabel('Your name').inputValue(), `Robin ${width}`);
      assert.equal(await page.getByLabel('How can we reach you?').getAttribute('aria-invalid'), 'true');
      assert.match(await page.title(), /^Error: /);
      await checkPage(page, 'contact-error');

      await ask(page, { name: `Robin ${width}`, reach: 'through my carer, after school', message: 'I want to talk about my contact with my brother.' });
      assert.match(new URL(page.url()).search, /sent=1/);
      assert.equal(await page.locator('h1').textContent(), 'Thank you for asking');
      assert.doesNotMatch(await page.locator('main').textContent(), /Robin/, 'the thanks does not show the name');
      assert.equal(await page.locator('main a[href="tel:08001111"]').count(), 1, 'Childline');
      await checkPage(page, 'contact-sent');
    });
  }

  test('with JavaScript on, in Arabic, from the phone\'s thank-you page', TEST_TIMEOUT, async (t) => {
    const page = await heard.open(t, { width: 390 });
    // Where the phone's script goes once the answers are stored.
    await page.goto(`/s/${SLUG}/11-18/thanks?lang=ar`);
    const form = page.getByRole('region', { name: 'هل تود أن يتحدث إليك أحد؟' });
    await assert.doesNotReject(form.waitFor());
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    await checkPage(page, 'contact-thanks-ar');
    await form.getByLabel('اسمك').fill('سارة');
    await form.getByLabel('كيف يمكننا الوصول إليك؟').fill('07700 900456');
    await form.getByRole('button', { name: 'أريد أن يتحدث إليّ أحد' }).click();
    await page.waitForURL(/sent=1/);
    assert.equal(await page.locator('h1').textContent(), 'شكرًا لطلبك');
    await checkPage(page, 'contact-sent-ar');
  });

  test('from the help page', TEST_TIMEOUT, async (t) => {
    const page = await heard.open(t, { width: 390 });
    await page.goto('/help');
    await checkPage(page, 'contact-help');
    // The demo opens several surveys: the young person chooses one.
    await page.getByRole('link', { name: 'Your life in care 2026' }).click();
    await page.waitForURL(new RegExp(`/s/${SLUG}/contact$`));
    assert.equal(await page.locator('h1').textContent(), 'Ask for someone to talk to you');
    await checkPage(page, 'contact-page');
    await ask(page, { name: 'Charlie from help', reach: 'charlie@example.org' });
    assert.equal(await page.locator('h1').textContent(), 'Thank you for asking');
  });
});

test('the safeguarding lead reads a request and records what was done; a board member cannot', SLOW, async (t) => {
  const phone = await thanksPage(t, { scripts: false });
  await ask(phone, { name: 'Jordan Lead-Test', reach: '07700 900999, not before 4pm', message: 'Things at home.' });
  assert.equal(await phone.locator('h1').textContent(), 'Thank you for asking');

  const page = await signIn(t, 'safeguarding_lead');
  const waiting = page.locator('#contacts-waiting');
  assert.match(await waiting.textContent(), /asked for someone to talk to them/);
  assert.doesNotMatch(await page.locator('main').textContent(), /Jordan/, 'the home page does not name them');
  await checkPage(page, 'staff-safeguarding_lead-home-contacts');

  await page.goto('/staff/safeguarding');
  await page.getByRole('link', { name: 'Requests to talk' }).click();
  await page.waitForURL(/\/staff\/safeguarding\/contacts$/);
  assert.match(await page.locator('main').textContent(), /07700 900999, not before 4pm/);
  await checkPage(page, 'staff-safeguarding-contacts');

  await page.getByRole('link', { name: 'Jordan Lead-Test' }).click();
  await page.waitForURL(/\/staff\/safeguarding\/contacts\/[0-9a-f]{32}$/);
  const url = page.url();
  assert.match(await page.locator('main').textContent(), /Things at home\./);
  await checkPage(page, 'staff-safeguarding-contact');

  // A decision without its service is refused beside the field.
  await page.getByLabel('Passed to a named service').check();
  await page.getByRole('button', { name: 'Record the decision' }).click();
  await assert.doesNotReject(page.getByRole('alert').waitFor());
  await checkPage(page, 'staff-safeguarding-contact-error');
  await page.getByLabel('The service it was passed to').fill('Leaving care team');
  await page.getByLabel('Note (optional)').fill('Rang after 4pm; a worker visits on Friday.');
  await page.getByRole('button', { name: 'Record the decision' }).click();
  await page.waitForURL(/\/staff\/safeguarding\/contacts\?done=decided$/);
  assert.match(await page.locator('main').textContent(), /Reviewed \(1\)/);
  await checkPage(page, 'staff-safeguarding-contacts-reviewed');

  const board = await signIn(t, 'board');
  for (const path of ['/staff/safeguarding/contacts', new URL(url).pathname]) {
    const res = await board.goto(path);
    assert.equal(res.status(), 403, `board ${path}`);
    assert.doesNotMatch(await board.locator('main').textContent(), /Jordan/);
  }
});
