// Text at 200%, as a young person with low vision sets it, on the
// narrowest phone (320px): nothing needs scrolling sideways (WCAG 1.4.4 and
// 1.4.10). The root font size is doubled, as a browser's text-size setting
// does, so everything sized in rem grows with it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  TEST_TIMEOUT, answer, assertNoHorizontalScroll, assertSameHost, screenshot, send, useHeard,
} from './helpers.mjs';

const heard = useHeard();

/** Doubles the text size and checks that it took. */
async function doubleText(page) {
  const [before, after] = await page.evaluate(() => {
    const size = () => parseFloat(getComputedStyle(document.body).fontSize);
    const was = size();
    document.documentElement.style.fontSize = '200%';
    return [was, size()];
  });
  assert.equal(after, before * 2, `body text went from ${before}px to ${after}px`);
}

for (const path of ['/s/cared-for-2026/11-18', '/s/cared-for-2026/4-7', '/s/care-leavers-2026/16-25', '/s/school-council-2026/pupils']) {
  test(`the form ${path} at 200% text and 320px`, TEST_TIMEOUT, async (t) => {
    const page = await heard.open(t, { width: 320, height: 640, scripts: false });
    const res = await page.goto(path);
    assert.equal(res.status(), 200);
    await doubleText(page);
    await assertNoHorizontalScroll(page, `${path} at 200% text`);
    if (path.endsWith('/11-18')) await screenshot(page, 'form-text-200pct');
    assertSameHost(page);
  });
}

test('the form with errors at 200% text and 320px', TEST_TIMEOUT, async (t) => {
  const page = await heard.open(t, { width: 320, height: 640, scripts: false });
  await page.goto('/s/cared-for-2026/4-7');
  await answer(page, { good_text: 'I like drawing pictures of my dog. '.repeat(40) });
  assert.equal((await send(page)).status(), 422);
  await doubleText(page);
  await assertNoHorizontalScroll(page, 'the form with errors at 200% text');
  await screenshot(page, 'form-errors-text-200pct');
});

for (const path of ['/', '/help', '/s/cared-for-2026', '/s/no-such-survey']) {
  test(`the page ${path} at 200% text and 320px`, TEST_TIMEOUT, async (t) => {
    const page = await heard.open(t, { width: 320, height: 640 });
    await page.goto(path);
    await doubleText(page);
    await assertNoHorizontalScroll(page, `${path} at 200% text`);
  });
}
