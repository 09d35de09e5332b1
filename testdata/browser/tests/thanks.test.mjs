// The thank-you page after a valid submission: HTTP 201, the help lines,
// and the answers counted once, even when the page is refreshed (which
// sends the same form again) or the same form is sent twice.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { COUNCIL, TEST_TIMEOUT, answer, checkPage, eventually, send, useHeard } from './helpers.mjs';

const SLUG = 'cared-for-2026';

const heard = useHeard({ results: true });

/** Checks the page is the thank-you page, with help. */
async function assertThanks(page) {
  assert.equal(await page.title(), 'Thank you – Heard');
  assert.equal(await page.locator('h1').textContent(), 'Thank you. Your answers have been sent.');
  assert.match(await page.locator('main').textContent(), /We have your answers to “Your life in care 2026”/);
  assert.equal(await page.locator('main a[href="tel:08001111"]').count(), 1, 'Childline');
  assert.equal(await page.locator(`main a[href="${COUNCIL.tel}"]`).count(), 1, 'the council');
  assert.equal(await page.locator('main a[href="/"]').count(), 1, 'a way to the start page');
}

describe('thank-you page', () => {
  for (const width of [320, 390]) {
    test(`at ${width}px after sending answers; a refresh counts them once`, TEST_TIMEOUT, async (t) => {
      const before = await heard.results.count(SLUG);
      const page = await heard.open(t, { width, scripts: false });
      await page.goto(`/s/${SLUG}/11-18`);
      await answer(page, {
        time_in_care: '1_to_3_years',
        area: 'central',
        trusted_adult: 'yes',
        know_social_worker: 'yes',
        see_social_worker_alone: 'sometimes',
        life_satisfaction: '8',
        activities_wanted: ['sport', 'outdoors'],
        activities_barrier: 'transport',
        better_text: 'More trips out in the summer.',
      });
      const res = await send(page);
      assert.equal(res.status(), 201, 'the first sending stores the answers');
      await assertThanks(page);
      assert.equal(await eventually(() => heard.results.count(SLUG), before + 1), before + 1, 'counted once');
      await checkPage(page, 'thanks');

      // A refresh of the thank-you page sends the same form again.
      const again = await page.reload();
      assert.equal(again.request().method(), 'POST', 'the refresh sends the form again');
      assert.equal(again.status(), 200, 'the same answers again are acknowledged, not stored');
      await assertThanks(page);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(await heard.results.count(SLUG), before + 1, 'still counted once after the refresh');
    });
  }

  test('the same form sent twice, as with a double tap, counts once', TEST_TIMEOUT, async (t) => {
    const before = await heard.results.count(SLUG);
    const page = await heard.open(t, { scripts: false });
    await page.goto(`/s/${SLUG}/4-7`);
    await answer(page, { trusted_adult: 'yes', fun_things: 'sometimes', good_text: 'My dog.' });
    // The form as the browser will send it, to send once more afterwards.
    const body = await page.locator('main form').evaluate((f) => new URLSearchParams(new FormData(f)).toString());
    assert.equal((await send(page)).status(), 201);
    await assertThanks(page);
    const res = await page.request.post(`/s/${SLUG}/4-7`, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      data: body,
    });
    assert.equal(res.status(), 200);
    assert.match(await res.text(), /Thank you. Your answers have been sent./);
    assert.equal(await eventually(() => heard.results.count(SLUG), before + 1), before + 1);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await heard.results.count(SLUG), before + 1, 'counted once');
  });
});
