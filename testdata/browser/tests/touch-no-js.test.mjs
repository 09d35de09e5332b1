// A young person on an old phone with JavaScript off: a 360x640 touch
// screen, answers chosen by tapping their words, the form sent with a tap,
// and the thank-you page shown. The form is plain HTML and needs no script.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_TIMEOUT, checkPage, useHeard } from './helpers.mjs';

const heard = useHeard();

const phone = { width: 360, height: 640, javaScriptEnabled: false, hasTouch: true, isMobile: true };

test('the 11-18 form completed by tapping, without JavaScript', TEST_TIMEOUT, async (t) => {
  const page = await heard.open(t, phone);
  await page.goto('/s/cared-for-2026/11-18');
  // The form's one script is a module from the server, which only enhances it: none runs here.
  assert.deepEqual(await page.evaluate(() => [...document.scripts].map((s) => s.type === 'module' && s.src !== '' && s.text === '')), [true],
    'the form has no inline script');
  await checkPage(page, 'form-touch-no-js');

  // Touch targets: every choice, the send button and the header's help link.
  const small = await page.locator('label.choice, button, .help-link').evaluateAll((els) => els
    .map((el) => ({ el, r: el.getBoundingClientRect() }))
    .filter(({ r }) => r.width < 44 || r.height < 44)
    .map(({ el, r }) => `${el.textContent.trim()} (${Math.round(r.width)}x${Math.round(r.height)})`));
  assert.deepEqual(small, [], 'touch targets are at least 44x44 CSS pixels');

  // Tap the words of an answer to every question. With the first choice of
  // each, "Why don't you feel settled?" does not apply (it is for those not
  // settled), so it is left alone; checkboxes get two taps.
  const skip = new Set(['q-why_not_settled']);
  const fieldsets = await page.locator('fieldset.question').evaluateAll((fs) =>
    fs.map((f) => ({ id: f.id, kind: f.querySelector('input')?.type ?? 'text' })));
  let tapped = 0;
  for (const { id, kind } of fieldsets) {
    if (skip.has(id)) continue;
    const labels = page.locator(`#${id} label.choice`);
    const picks = kind === 'checkbox' ? [0, 2] : kind === 'radio' ? [0] : [];
    for (const i of picks) {
      const label = labels.nth(i);
      await label.tap();
      const input = page.locator(`#${await label.getAttribute('for')}`);
      assert.ok(await input.isChecked(), `tapping "${(await label.textContent()).trim()}" in #${id} chose it`);
      tapped++;
    }
  }
  assert.ok(tapped >= 28, `answers chosen by tapping (${tapped})`);
  // A tapped radio answer can be changed by tapping another.
  await page.locator('#q-area label.choice').nth(2).tap();
  assert.ok(await page.locator('#q-area-2').isChecked());
  assert.ok(!(await page.locator('#q-area-0').isChecked()));
  // Writing: tap the box, type.
  await page.locator('#q-good_text-input').tap();
  await page.keyboard.type('Going to the park with my foster carer.');

  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Send my answers' }).tap(),
  ]);
  await page.waitForLoadState('load');
  assert.equal(res.status(), 201, `the answers are stored: ${res.status()}`);
  assert.equal(await page.locator('h1').textContent(), 'Thank you. Your answers have been sent.');
  await checkPage(page, 'thanks-touch-no-js');
});
