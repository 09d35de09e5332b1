// A question only for some people says so in plain words, on the page
// itself, so that a young person whose browser runs no JavaScript (nothing
// can hide the question) knows whether to answer it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_TIMEOUT, screenshot, useHeard } from './helpers.mjs';

const heard = useHeard();

// The conditional questions of the 11-18 version and what their note says.
const notes = {
  'q-see_social_worker_alone': 'Answer this if you answered "Yes" to "Do you know who your social worker is?" Otherwise, skip it.',
  'q-social_worker_changes': 'Answer this if you answered "Yes" or "Not sure" to "Do you know who your social worker is?" Otherwise, skip it.',
  'q-why_not_settled': /^Answer this if you answered "Sometimes" or "No" to ".+" Otherwise, skip it\.$/,
  'q-feelings_help': /^Answer this if you answered 4 or less to ".+", or if you answered "No" to ".+" Otherwise, skip it\.$/,
  'q-activities_barrier': /^Answer this if you chose anything for ".+" Otherwise, skip it\.$/,
};

for (const width of [320, 390]) {
  test(`at ${width}px without JavaScript, each conditional question shows when to answer it`, TEST_TIMEOUT, async (t) => {
    const page = await heard.open(t, { width, height: 700, javaScriptEnabled: false });
    await page.goto('/s/cared-for-2026/11-18');
    assert.match(await page.locator('main .facts').textContent(), /Some questions are only for some people\. They say when to answer them\./);

    const withNotes = await page.locator('fieldset.question:has(.note)').evaluateAll((fs) => fs.map((f) => f.id));
    assert.deepEqual([...withNotes].sort(), Object.keys(notes).sort(), 'exactly the conditional questions have a note');
    for (const [id, want] of Object.entries(notes)) {
      const question = page.locator(`#${id}`);
      const note = question.locator('.note');
      await note.scrollIntoViewIfNeeded();
      assert.ok(await note.isVisible(), `#${id}: the note is visible`);
      const box = await note.boundingBox();
      assert.ok(box && box.width > 100 && box.height > 10, `#${id}: the note has room (${JSON.stringify(box)})`);
      const text = (await note.textContent()).trim();
      if (typeof want === 'string') assert.equal(text, want);
      else assert.match(text, want);
      // It is read out with the question, and comes before the answers.
      const noteId = await note.getAttribute('id');
      assert.ok((await question.getAttribute('aria-describedby') ?? '').split(/\s+/).includes(noteId), `#${id}: aria-describedby has the note`);
      assert.ok(await note.evaluate((n) => Boolean(n.compareDocumentPosition(n.parentElement.querySelector('.choices')) & Node.DOCUMENT_POSITION_FOLLOWING)),
        `#${id}: the note comes before the answers`);
      // The question and its answers are there to use: nothing hides them.
      assert.ok(await question.locator('label.choice').first().isVisible(), `#${id}: its answers are visible`);
    }
    await page.locator('#q-see_social_worker_alone').scrollIntoViewIfNeeded();
    await screenshot(page, 'conditional-note-no-js', { fullPage: false });
  });
}
