// The pages in a phone's dark mode (prefers-color-scheme: dark), which has
// its own colours: axe-core checks their contrast as it does the light ones.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_TIMEOUT, answer, checkPage, send, useHeard } from './helpers.mjs';

const heard = useHeard();

const dark = { width: 390, colorScheme: 'dark' };
// The plain form (the one-question screens are checked in dark mode in flow.test.mjs).
const darkPlain = { ...dark, scripts: false };

test('in dark mode: the start page, help, a survey and page not found', TEST_TIMEOUT, async (t) => {
  const page = await heard.open(t, dark);
  for (const [path, name] of [['/', 'home'], ['/help', 'help'], ['/s/cared-for-2026', 'survey'], ['/s/no-such-survey', 'not-found']]) {
    await page.goto(path);
    assert.ok(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches));
    await checkPage(page, `${name}-dark`);
  }
});

test('in dark mode: the form, the form with errors and the thank-you page', TEST_TIMEOUT, async (t) => {
  const page = await heard.open(t, darkPlain);
  await page.goto('/s/cared-for-2026/11-18');
  await checkPage(page, 'form-dark');
  await answer(page, { know_social_worker: 'yes', see_social_worker_alone: 'no', good_text: 'x'.repeat(2001) });
  assert.equal((await send(page)).status(), 422);
  // Focus is on the error summary: its focus ring is checked too.
  await checkPage(page, 'form-errors-dark');
  await answer(page, { good_text: 'Fine.' });
  assert.equal((await send(page)).status(), 201);
  await checkPage(page, 'thanks-dark');
});
