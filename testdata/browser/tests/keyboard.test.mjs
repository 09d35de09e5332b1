// Keyboard only: the 4-7 version of the cared-for survey completed with
// Tab, Shift+Tab, Space, the arrow keys (within a radio group) and Enter,
// with a visible focus indicator at every step, starting from the skip
// link.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_TIMEOUT, assertSameHost, eventually, screenshot, useHeard } from './helpers.mjs';

const heard = useHeard({ results: true });

/** What has focus: enough to follow the journey and to tell whether focus shows. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return {
      tag: el.tagName.toLowerCase(),
      type: el.getAttribute('type'),
      name: el.getAttribute('name'),
      value: el.value,
      id: el.id,
      cls: el.className,
      checked: el.checked,
      text: el.textContent.trim().slice(0, 40),
      outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 ? `${style.outlineWidth} ${style.outlineStyle}` : '',
      boxShadow: style.boxShadow !== 'none' ? style.boxShadow : '',
      inView: r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth,
    };
  });
}

function describeFocus(f) {
  return `${f.tag}${f.id ? `#${f.id}` : ''}${f.name ? `[name=${f.name}]` : ''}${f.text ? ` "${f.text}"` : ''}`;
}

/** Fails unless the focused element shows that it has focus, on screen. */
function assertFocusVisible(f) {
  assert.ok(f.outline || f.boxShadow, `focus is not visible on ${describeFocus(f)}: no outline and no box-shadow`);
  assert.ok(f.inView, `${describeFocus(f)} has focus but is off screen`);
}

test('the 4-7 form completed with the keyboard alone', TEST_TIMEOUT, async (t) => {
  const before = await heard.results.count('cared-for-2026');
  // The plain form; the one-question screens have their own keyboard test.
  const page = await heard.open(t, { width: 390, height: 844, scripts: false });
  await page.goto('/s/cared-for-2026/4-7');
  const trail = [];
  const key = async (k) => {
    await page.keyboard.press(k);
    const f = await focused(page);
    trail.push(`${k} → ${describeFocus(f)}`);
    try {
      if (f.tag !== 'main') assertFocusVisible(f); // main takes focus from the skip link; it is not a control
    } catch (err) {
      err.message += `\nThe keys pressed so far:\n  ${trail.join('\n  ')}`;
      throw err;
    }
    return f;
  };

  // The skip link comes first, shows when focused, and moves focus to main.
  const firstFocusable = await page.evaluate(() =>
    [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])')]
      .find((el) => !el.disabled)?.className);
  assert.equal(firstFocusable, 'skip-link', 'the skip link is the first thing to focus');
  let f = await key('Tab');
  assert.equal(f.cls, 'skip-link', `the first Tab focuses the skip link, not ${describeFocus(f)}`);
  assert.equal(f.text, 'Skip to main content');
  await screenshot(page, 'keyboard-skip-link', { fullPage: false });
  f = await key('Enter');
  assert.equal(f.tag, 'main', `the skip link moves focus to main, not ${describeFocus(f)}`);
  assert.match(page.url(), /#main$/);

  // From main, Tab goes through each question in turn.
  const groups = [];
  let wrote = 0;
  for (let step = 0; step < 200; step++) {
    f = await key('Tab');
    if (f.tag === 'button') break;
    if (f.type === 'radio') {
      assert.ok(!groups.includes(f.name), `Tab comes to ${f.name} once`);
      groups.push(f.name);
      assert.ok(!f.checked, `${f.name} starts unanswered`);
      if (groups.length % 2 === 1) {
        // Space chooses the focused answer.
        f = await key('Space');
        assert.ok(f.checked, `Space chose ${f.value} in ${f.name}`);
      } else {
        // The arrow keys move through the answers and choose as they go.
        f = await key('ArrowDown');
        assert.ok(f.checked && f.name === groups.at(-1), `ArrowDown chose the second answer in ${groups.at(-1)}`);
        const second = f.value;
        f = await key('ArrowDown');
        f = await key('ArrowUp');
        assert.ok(f.checked && f.value === second, `ArrowUp went back to ${second}`);
      }
      if (groups.length === 2) {
        // Shift+Tab goes back to the question before, to its chosen answer,
        // and Tab returns.
        f = await key('Shift+Tab');
        assert.ok(f.name === groups[0] && f.checked, `Shift+Tab went back to ${groups[0]}, not ${describeFocus(f)}`);
        f = await key('Tab');
        assert.ok(f.name === groups[1] && f.checked, `Tab came back to ${groups[1]}, not ${describeFocus(f)}`);
      }
      if (groups.length === 3) await screenshot(page, 'keyboard-radio-focus', { fullPage: false });
    } else if (f.tag === 'textarea') {
      if (wrote++ === 0) {
        await page.keyboard.type('Playing football');
        assert.equal(await page.locator(`[name="${f.name}"]`).inputValue(), 'Playing football');
      }
    } else {
      assert.fail(`Tab reached ${describeFocus(f)} inside the form`);
    }
  }
  assert.equal(f.tag, 'button', 'Tab reaches the send button');
  assert.equal(f.text, 'Send my answers');
  assert.equal(groups.length, 8, `every choice question was reached (${groups.join(', ')})`);
  assert.equal(wrote, 3, 'every text question was reached');
  await screenshot(page, 'keyboard-button-focus', { fullPage: false });

  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.keyboard.press('Enter'),
  ]);
  await page.waitForLoadState('load');
  assert.equal(res.status(), 201);
  assert.equal(await page.locator('h1').textContent(), 'Thank you. Your answers have been sent.');
  assert.equal(await eventually(() => heard.results.count('cared-for-2026'), before + 1), before + 1);

  // On the thank-you page too, the skip link comes first, and focus shows
  // on every link.
  f = await key('Tab');
  assert.equal(f.cls, 'skip-link');
  const links = await page.locator('a[href]').count();
  for (let i = 1; i < links; i++) {
    f = await key('Tab');
    assert.equal(f.tag, 'a');
  }
  assertSameHost(page);
});
