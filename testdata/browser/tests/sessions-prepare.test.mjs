// Preparing a MADE session: a facilitator starts from the templates, moves
// an activity, adds a poll with a mistake, sees the mistake named beside
// its field, puts it right and saves; at a small phone's width (320px)
// and a laptop's (1280px), each page checked with axe-core and
// photographed; and the same by keyboard alone.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { STAFF, checkPage, useHeard } from './helpers.mjs';

const heard = useHeard({ staff: true });
const WIDTHS = [320, 1280];
const SLOW = { timeout: 120_000 };

/** Opens a page and signs in as the facilitator with the sign-in form. */
async function signIn(t, width) {
  const page = await heard.open(t, { width, height: 900 });
  await page.goto('/staff/sign-in');
  await page.getByLabel('Email address').fill(STAFF.facilitator.email);
  await page.getByLabel('Password').fill(STAFF.facilitator.password);
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.pathname === '/staff' || u.pathname === '/staff/');
  return page;
}

/** The headings of the activities on the editor, in order. */
const activities = (page) => page.locator('fieldset.edit-question > legend').allTextContents();

/** The element with focus, to follow a keyboard journey. */
const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, text: el.textContent.trim().replace(/\s+/g, ' ').slice(0, 60),
    // Chromium shows focus in a date box by marking its day, month or
    // year, inside the box, rather than by the box's outline.
    outline: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || el.type === 'date',
  };
});

/** Presses Tab (or Shift+Tab, back) until the focused element passes match, checking that focus always shows. */
async function tabUntil(page, match, what, { most = 80, back = false } = {}) {
  for (let i = 0; i < most; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    assert.ok(f.outline || f.tag === 'body', `focus on ${f.tag}#${f.id} "${f.text}" is not visible`);
    if (match(f)) return f;
  }
  return assert.fail(`${what} never took focus within ${most} presses of Tab`);
}

describe('a facilitator prepares a session', () => {
  for (const width of WIDTHS) {
    test(`at ${width}px: from the templates, a move, a poll with a mistake, then saved`, SLOW, async (t) => {
      const page = await signIn(t, width);
      await page.locator('nav.nav a', { hasText: 'Sessions' }).click();
      await page.waitForURL('**/staff/sessions');
      assert.ok(await page.locator('main tbody tr', { hasText: 'MADE North — Charter check' }).count() === 1, 'the demo session is listed');
      await checkPage(page, 'staff-sessions');

      await page.getByRole('link', { name: 'Start from the templates' }).click();
      await page.waitForURL('**/staff/sessions/new?from=templates');
      assert.deepEqual(await activities(page), [
        'Activity 1: Emoji rating', 'Activity 2: Idea board', 'Activity 3: Dot vote', 'Activity 4: Word cloud', 'Activity 5: Emoji rating',
      ]);
      await checkPage(page, 'staff-session-new');
      const title = `Charter check (${width}px)`;
      await page.getByLabel('Title', { exact: true }).fill(title);

      // The Charter's rating moves below the idea board: nothing saved yet.
      await page.getByRole('button', { name: 'Move down activity 1' }).click();
      await page.getByRole('status').waitFor();
      assert.match(await page.getByRole('status').textContent(), /Activity 1 moved down: it is activity 2 now\. Nothing is saved/);
      assert.deepEqual((await activities(page)).slice(0, 2), ['Activity 1: Idea board', 'Activity 2: Emoji rating']);
      assert.equal(await page.getByLabel('Title', { exact: true }).inputValue(), title, 'what was typed is kept');

      // A poll of one option: the mistake is named beside the field.
      await page.getByRole('button', { name: 'Add a poll' }).click();
      await page.locator('#a5').waitFor();
      assert.equal(await page.locator('#a5 > legend').textContent(), 'Activity 6: Poll');
      await page.locator('#a5-prompt').fill('Where should we meet next time?');
      await page.locator('#a5-options').fill('Library');
      await page.getByRole('button', { name: 'Save the session' }).first().click();
      const summary = page.locator('#error-summary');
      await summary.waitFor();
      assert.match(await summary.textContent(), /Activity 6 \(poll\), options: needs at least 2\./);
      assert.match(await page.locator('#a5-options-error').textContent(), /Needs at least 2\./);
      assert.equal(await page.locator('#a5-options').getAttribute('aria-invalid'), 'true');
      await checkPage(page, 'staff-session-errors');
      // The summary's link takes focus to the field.
      await summary.getByRole('link', { name: /^Activity 6 \(poll\), options:/ }).click();
      assert.equal((await focused(page)).id, 'a5-options');

      await page.locator('#a5-options').fill('Library\nYouth centre');
      await page.getByRole('button', { name: 'Save the session' }).first().click();
      await page.waitForURL(/\/staff\/sessions\/[0-9a-f]+\/edit\?done=session-created/);
      assert.match(await page.getByRole('status').textContent(), /The session was saved as a draft\./);
      assert.deepEqual(await activities(page), [
        'Activity 1: Idea board', 'Activity 2: Emoji rating', 'Activity 3: Dot vote', 'Activity 4: Word cloud', 'Activity 5: Emoji rating',
        'Activity 6: Poll',
      ]);
      assert.equal(await page.locator('#a5-options').inputValue(), 'Library\nYouth centre');
      await checkPage(page, 'staff-session-edit');

      await page.getByRole('link', { name: 'MADE sessions' }).click();
      await page.waitForURL('**/staff/sessions');
      assert.match(await page.locator('main tbody tr', { hasText: title }).textContent(), /Draft/);
    });
  }

  test('by keyboard alone, without a mouse', SLOW, async (t) => {
    const page = await signIn(t, 1280);
    await page.goto('/staff/sessions');
    await tabUntil(page, (f) => f.text === 'Start from the templates', 'the templates link');
    await Promise.all([page.waitForURL('**/staff/sessions/new?from=templates'), page.keyboard.press('Enter')]);

    await tabUntil(page, (f) => f.id === 'title', 'the title');
    await page.keyboard.type('Keyboard check');
    await tabUntil(page, (f) => f.text === 'Move down activity 1', 'the first Move down');
    await Promise.all([page.waitForURL(/\/staff\/sessions#a1$/), page.keyboard.press('Enter')]);
    assert.deepEqual((await activities(page)).slice(0, 2), ['Activity 1: Idea board', 'Activity 2: Emoji rating']);

    await tabUntil(page, (f) => f.text === 'Add an open question', 'Add an open question');
    await Promise.all([page.waitForURL(/\/staff\/sessions#a5$/), page.keyboard.press('Enter')]);
    await tabUntil(page, (f) => f.id === 'a5-prompt', 'the new question');
    await page.keyboard.type('Anything else you want to tell us?');

    // Enter in a line of text presses the form's first button: Save.
    await tabUntil(page, (f) => f.id === 'title', 'the title', { most: 200, back: true });
    await Promise.all([page.waitForURL(/done=session-created/), page.keyboard.press('Enter')]);
    assert.equal(await page.locator('#a5-prompt').inputValue(), 'Anything else you want to tell us?');
    assert.equal(await page.getByLabel('Title', { exact: true }).inputValue(), 'Keyboard check');
  });
});
