// The form shown again with errors: an over-long text answer and an answer
// to a question that did not apply, both reported at once. The page title says "Error:", focus
// starts on the error summary, each summary link moves focus to its
// question, each message sits in its question, and the answers given are
// kept. Then the young person puts things right and the answers are sent.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TEST_TIMEOUT, answer, checkPage, send, useHeard } from './helpers.mjs';

const heard = useHeard();

// The 11-18 version's text questions take up to 2,000 characters.
const tooLong = 'My foster carer is kind and helps me with homework. '.repeat(40).slice(0, 2050);

/**
 * Checks the form re-shown with errors: a title starting "Error:", focus
 * on the summary, one summary link per question in hrefs, each message in
 * its question before the answers and read out with them, and each link
 * moving focus to its question.
 */
async function checkErrors(page, hrefs) {
  assert.match(await page.title(), /^Error: /);
  const summary = page.locator('.error-summary');
  assert.equal(await summary.count(), 1);
  assert.ok(await summary.evaluate((el) => el === document.activeElement), 'focus starts on the error summary');
  assert.equal(await summary.locator('[role=alert] h2').textContent(), 'There is a problem');

  // Each summary line links to a question; its message is in that question.
  const links = await summary.locator('a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
  assert.deepEqual(links.map(([href]) => href).sort(), [...hrefs].sort());
  assert.equal(await page.locator('.error-message').count(), hrefs.length, 'one message per problem');
  for (const [href, text] of links) {
    const question = page.locator(href);
    assert.equal(await question.evaluate((el) => el.tagName), 'FIELDSET');
    const legend = (await question.locator('legend').textContent()).trim();
    assert.ok(text.startsWith(legend), `the summary line "${text}" names its question "${legend}"`);
    const message = question.locator('.error-message');
    assert.equal(await message.count(), 1, `${href} has its error message`);
    const words = (await message.textContent()).replace(/^\s*Error:\s*/, '').trim();
    assert.ok(words.length > 0 && text.includes(words), `the summary repeats the message "${words}"`);
    // The message comes before the answers and is read out with them.
    const messageId = await message.getAttribute('id');
    for (const control of await question.locator('input, textarea').all()) {
      assert.equal(await control.getAttribute('aria-invalid'), 'true');
      assert.ok(await message.evaluate((m, c) => Boolean(m.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING),
        await control.elementHandle()), `${href}: the message comes before the answer`);
    }
    const describedBy = await question.evaluate((q) =>
      `${q.getAttribute('aria-describedby') ?? ''} ${q.querySelector('textarea')?.getAttribute('aria-describedby') ?? ''}`);
    assert.ok(describedBy.split(/\s+/).includes(messageId), `${href}: the message is in aria-describedby`);
    // The message is beside its question on screen, not only in the DOM.
    const [m, q] = [await message.boundingBox(), await question.boundingBox()];
    assert.ok(m && q && m.y >= q.y && m.y + m.height <= q.y + q.height, `${href}: the message is inside its question`);
  }

  // Following a summary link moves focus to its question, in view.
  for (const [href] of links) {
    await page.locator(`.error-summary a[href="${href}"]`).click();
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return el.closest('fieldset')?.id || el.id || el.tagName;
    });
    assert.equal(`#${focused}`, href, `the link to ${href} moves focus there`);
    await page.waitForFunction((sel) => {
      const r = document.querySelector(sel).getBoundingClientRect();
      return r.top > -1 && r.top < window.innerHeight; // (less a subpixel)
    }, href, { timeout: 3_000 }).catch(async () => assert.fail(`${href} is not scrolled into view: ${JSON.stringify(await page.locator(href).evaluate((el) => [el.getBoundingClientRect().top, el.getBoundingClientRect().bottom, window.innerHeight, window.scrollY]))}`));
  }
  await page.evaluate(() => window.scrollTo(0, 0));
}

describe('form with errors', () => {
  for (const width of [320, 390]) {
    test(`at ${width}px says what is wrong and where, and keeps the answers`, TEST_TIMEOUT, async (t) => {
      const page = await heard.open(t, { width, scripts: false });
      await page.goto('/s/cared-for-2026/11-18');
      const id = await page.locator('input[name="id"]').inputValue();
      await answer(page, {
        area: 'north',
        know_social_worker: 'no',
        // Only for those who know their social worker: not for this young person.
        see_social_worker_alone: 'yes',
        activities_wanted: ['sport', 'trips'],
        good_text: tooLong,
      });

      // Both problems at once: the answer that is too long, and the
      // question that did not apply.
      let res = await send(page);
      assert.equal(res.status(), 422);
      await checkErrors(page, ['#q-good_text', '#q-see_social_worker_alone']);
      assert.match(await page.locator('#q-good_text .error-message').textContent(), /2000 characters or fewer/);
      // The answers given are all kept, and so is the form's id.
      assert.equal(await page.locator('input[name="id"]').inputValue(), id);
      assert.ok(await page.locator('[name="q.area"][value="north"]').isChecked());
      assert.ok(await page.locator('[name="q.know_social_worker"][value="no"]').isChecked());
      assert.ok(await page.locator('[name="q.see_social_worker_alone"][value="yes"]').isChecked());
      assert.ok(await page.locator('[name="q.activities_wanted"][value="sport"]').isChecked());
      assert.ok(await page.locator('[name="q.activities_wanted"][value="trips"]').isChecked());
      assert.equal((await page.locator('[name="q.good_text"]').inputValue()).trim(), tooLong.trim());
      await checkPage(page, 'form-errors');

      // Shortened, the text is fine; the question that did not apply is
      // still a problem.
      await page.locator('[name="q.good_text"]').fill(tooLong.slice(0, 300));
      res = await send(page);
      assert.equal(res.status(), 422);
      await checkErrors(page, ['#q-see_social_worker_alone']);
      assert.equal(await page.locator('input[name="id"]').inputValue(), id);
      await checkPage(page, 'form-errors-not-shown');

      // Without JavaScript a radio answer cannot be unticked: the form
      // offers "Skip this question" instead.
      await page.locator('#q-see_social_worker_alone').getByLabel('Skip this question').check();
      res = await send(page);
      assert.equal(res.status(), 201);
      assert.equal(await page.locator('h1').textContent(), 'Thank you. Your answers have been sent.');
      assert.doesNotMatch(await page.title(), /^Error/);
    });
  }
});
