// "You said, we did": the public page young people read (at a small old
// phone's width, 320px, and a laptop's, 1280px; in English and Arabic;
// filtered with the plain form, by keyboard, without the pages' scripts),
// and the staff workspace's pages where analysts write the plan and the
// board reads it, each checked with axe-core and photographed.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { STAFF, TEST_TIMEOUT, checkPage, useHeard } from './helpers.mjs';

const heard = useHeard({ staff: true });
const WIDTHS = [320, 1280];
const SLOW = { timeout: 120_000 };

/** The demo's published actions, in the plan's order, by what young people said. */
const PUBLISHED = [
  'The wifi where you live',
  'You have had too many changes of social worker',
  'There is not enough to do at weekends',
  'You don\'t know what help you can get after care',
  'Bus journeys to see your family',
];
/** The demo's one unpublished action. */
const UNPUBLISHED = 'The path past the park';

/** What each action card on the page says first: its status, then what young people said. */
async function cards(page) {
  return page.locator('main li.action').evaluateAll((lis) => lis.map((li) => ({
    status: li.querySelector('.action__status').textContent.trim(),
    said: li.querySelector('.action__said').textContent.replace(/\s+/g, ' ').trim(),
    picture: Boolean(li.querySelector('.action__status svg[aria-hidden="true"]')),
  })));
}

/** The element with focus, to follow a keyboard journey. */
const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return { tag: el.tagName.toLowerCase(), id: el.id, text: el.textContent.trim().slice(0, 30), outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 };
});

/** Presses Tab until the element with the id has focus, checking that focus always shows. */
async function tabTo(page, id, most = 40) {
  for (let i = 0; i < most; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    assert.ok(f.outline || f.tag === 'body', `focus on ${f.tag}#${f.id} "${f.text}" is not visible`);
    if (f.id === id) return;
  }
  assert.fail(`#${id} never took focus within ${most} presses of Tab`);
}

describe('the public page', () => {
  for (const width of WIDTHS) {
    test(`at ${width}px shows the published actions, each with a picture and words for its status`, TEST_TIMEOUT, async (t) => {
      const page = await heard.open(t, { width, height: 800 });
      const res = await page.goto('/you-said-we-did');
      assert.equal(res.status(), 200);
      assert.equal(await page.locator('h1').textContent(), 'You said, we did');
      const got = await cards(page);
      assert.equal(got.length, PUBLISHED.length, `actions shown: ${got.map((c) => c.said).join(' | ')}`);
      got.forEach((c, i) => {
        assert.ok(c.said.includes(PUBLISHED[i]), `action ${i + 1} says "${c.said}", want "${PUBLISHED[i]}"`);
        assert.ok(c.picture, `action ${i + 1} has no picture of its status`);
      });
      assert.deepEqual(got.map((c) => c.status), ['Planned', 'Happening now', 'Done', 'Done', 'Not possible']);
      assert.ok(!(await page.locator('main').textContent()).includes(UNPUBLISHED), 'an unpublished action is shown');
      assert.match(await page.locator('main li.action').last().textContent(), /Why we can't:\s*The bus company could not add the route/);
      await checkPage(page, 'you-said-we-did');
    });
  }

  test('in dark mode, and at 200% text, at 320px', TEST_TIMEOUT, async (t) => {
    const page = await heard.open(t, { width: 320, height: 800, colorScheme: 'dark' });
    await page.goto('/you-said-we-did');
    await checkPage(page, 'you-said-we-did-dark');
    // Text at 200%, as a browser's text-size setting makes it: nothing
    // needs scrolling sideways (WCAG 1.4.4 and 1.4.10).
    // Polish, whose words are the longest.
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto('/you-said-we-did?lang=pl');
    await page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
    await checkPage(page, 'you-said-we-did-text-200pct');
  });

  test('the home page links to it', TEST_TIMEOUT, async (t) => {
    const page = await heard.open(t);
    await page.goto('/');
    await page.getByRole('link', { name: 'See what changed because of what you said' }).click();
    await page.waitForURL('**/you-said-we-did');
  });

  test('in Arabic, right to left, at 320px', TEST_TIMEOUT, async (t) => {
    const page = await heard.open(t, { width: 320, height: 800 });
    const res = await page.goto('/you-said-we-did?lang=ar');
    assert.equal(res.status(), 200);
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    assert.equal(await page.locator('h1').textContent(), 'قلتم، وفعلنا');
    const weekends = page.locator('main li.action', { hasText: 'لا يوجد ما يكفي من الأنشطة' });
    assert.equal(await weekends.count(), 1, 'the Arabic words of an action that has them are shown');
    // An action without Arabic is shown in English, marked as English.
    assert.equal(await page.locator('main li.action [lang="en"]', { hasText: 'The wifi where you live' }).count(), 1);
    await checkPage(page, 'you-said-we-did-ar');
  });

  test('filters by keyboard with the plain form, without the pages\' scripts', TEST_TIMEOUT, async (t) => {
    const page = await heard.open(t, { width: 320, height: 800, scripts: false });
    await page.goto('/you-said-we-did');
    await tabTo(page, 'filter-theme');
    // The arrow keys choose in a closed list, as on a phone's keyboard.
    const transport = await page.locator('#filter-theme option', { hasText: 'Getting about' }).getAttribute('value');
    await page.locator('#filter-theme').selectOption(transport); // what the arrow keys do; some builds open a menu instead
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).text, 'Show');
    await Promise.all([page.waitForURL(/theme=transport/), page.keyboard.press('Enter')]);
    const got = await cards(page);
    assert.deepEqual(got.map((c) => c.status), ['Not possible']);
    assert.equal(await page.locator('#filter-theme').inputValue(), 'transport', 'the chosen topic stays chosen');
    await checkPage(page, 'you-said-we-did-filtered');
  });

  test('a filter it does not know is said plainly, not a failure', TEST_TIMEOUT, async (t) => {
    const page = await heard.open(t, { width: 320, height: 800 });
    const res = await page.goto('/you-said-we-did?survey=no-such-survey&theme=space');
    assert.equal(res.status(), 404);
    const alert = page.getByRole('alert');
    assert.match(await alert.textContent(), /We don't know that survey\./);
    assert.match(await alert.textContent(), /We don't know that topic\./);
    assert.equal((await cards(page)).length, PUBLISHED.length, 'everything is shown instead');
    assert.match(await page.title(), /^Error: /);
    await checkPage(page, 'you-said-we-did-unknown');
  });
});

/** Opens a page and signs in as role with the sign-in form. */
async function signIn(t, role, width) {
  const page = await heard.open(t, { width, height: 900 });
  await page.goto('/staff/sign-in');
  await page.getByLabel('Email address').fill(STAFF[role].email);
  await page.getByLabel('Password').fill(STAFF[role].password);
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.pathname === '/staff' || u.pathname === '/staff/');
  return page;
}

describe('the staff workspace', () => {
  for (const width of WIDTHS) {
    test(`at ${width}px an analyst lists, adds and changes actions`, SLOW, async (t) => {
      const page = await signIn(t, 'analyst', width);
      await page.goto('/staff');
      await page.locator('nav.nav a', { hasText: 'You said, we did' }).click();
      await page.waitForURL('**/staff/actions');
      assert.ok(await page.locator('main tbody tr').count() >= PUBLISHED.length + 1, 'every action is listed, published or not');
      await checkPage(page, 'staff-actions');

      // A new action, with mistakes first: each is named beside its field.
      await page.getByRole('link', { name: 'Add an action' }).click();
      await page.waitForURL('**/staff/actions/new');
      await checkPage(page, 'staff-actions-new');
      await page.getByLabel('Owner', { exact: true }).fill('jo@council.gov.uk');
      await page.getByLabel('Not possible', { exact: true }).check();
      await page.getByRole('button', { name: 'Add the action' }).click();
      const summary = page.locator('#error-summary');
      await summary.waitFor();
      assert.match(await summary.textContent(), /What young people said, in English: is missing/);
      assert.match(await summary.textContent(), /Owner: must be a team or role/);
      assert.match(await summary.textContent(), /Why it is not possible: is needed/);
      await checkPage(page, 'staff-actions-new-errors');
      // The summary's links take focus to the field.
      await summary.getByRole('link', { name: /^Owner:/ }).click();
      assert.equal((await focused(page)).id, 'owner');

      const said = `Young people said the youth club closes too early (${width}px).`;
      await page.locator('#said-en').fill(said);
      await page.locator('#did-en').fill('The youth club now stays open until 9pm on Fridays.');
      await page.getByLabel('Owner', { exact: true }).fill('Youth service');
      await page.getByLabel('In progress', { exact: true }).check();
      await page.getByLabel('Things to do', { exact: true }).check();
      await page.getByLabel(/Show it to young people/).check();
      await page.getByRole('button', { name: 'Add the action' }).click();
      await page.waitForURL(/\/staff\/actions\/[0-9a-f]+\?done=action-added/);
      assert.match(await page.getByRole('status').textContent(), /The action was added\./);

      // Changed by keyboard: done. The history gets a line.
      await page.getByLabel('Done', { exact: true }).focus();
      await page.keyboard.press('Space');
      await page.getByRole('button', { name: 'Save the action' }).focus();
      await Promise.all([page.waitForURL(/done=action-saved/), page.keyboard.press('Enter')]);
      assert.equal(await page.locator('section[aria-labelledby="history-heading"] li').count(), 2);
      assert.match(await page.locator('section[aria-labelledby="history-heading"] li').first().textContent(), /analyst@browser-tests\.example: Done/);
      await checkPage(page, 'staff-action-edit');

      // Young people see it, done.
      const pub = await heard.open(t, { width: 320, height: 800 });
      await pub.goto('/you-said-we-did');
      const card = pub.locator('main li.action', { hasText: said });
      assert.match(await card.locator('.action__status').textContent(), /Done/);
    });
  }

  test('the board reads the plan and an action, and is offered no form', TEST_TIMEOUT, async (t) => {
    const page = await signIn(t, 'board', 1280);
    await page.goto('/staff/actions');
    assert.equal(await page.getByRole('link', { name: 'Add an action' }).count(), 0);
    await page.locator('main tbody a').first().click();
    await page.waitForURL(/\/staff\/actions\/[0-9a-f]+$/);
    assert.equal(await page.locator('main form').count(), 0);
    assert.equal(await page.locator('h1').textContent(), 'An action');
    await checkPage(page, 'staff-board-action');
  });
});
