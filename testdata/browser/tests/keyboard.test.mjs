// Keyboard only: the cared-for survey completed with Tab, Shift+Tab,
// Space, the arrow keys (within a radio group) and Enter, with a visible
// focus indicator at every step: the plain form (the 4-7 version, without
// JavaScript, starting from the skip link), and the one-question screens
// (the 11-18 version, with every kind of question), where focus moves to
// each new question and is never hidden behind anything on top.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_TIMEOUT, assertNoPageErrors, assertSameHost, currentQuestion, eventually, screenshot, useHeard } from './helpers.mjs';

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
      // Whole, ring and all, when it could be; of a text box, enough to
      // see what is typed in it (browsers scroll no further).
      rect: [r.top, r.bottom, window.innerHeight],
      whole: el.tagName === 'TEXTAREA'
        ? r.top >= 0 && r.top + 64 <= window.innerHeight
        : r.height + 6 > window.innerHeight || (r.top >= 3 && r.bottom <= window.innerHeight - 3),
      // What is drawn over its middle, if anything else is: a sticky bar,
      // a fixed header, a dialog.
      coveredBy: (() => {
        const hit = document.elementFromPoint(Math.min(Math.max(r.left + r.width / 2, 0), window.innerWidth - 1),
          Math.min(Math.max(r.top + Math.min(r.height, 40) / 2, 0), window.innerHeight - 1));
        if (!hit || hit === el || el.contains(hit) || hit.contains(el)) return '';
        return `${hit.tagName.toLowerCase()}.${hit.className}`;
      })(),
      // Anything fixed or sticky that overlaps it.
      overlapping: [...document.querySelectorAll('body *')].filter((other) => {
        const p = getComputedStyle(other).position;
        if ((p !== 'fixed' && p !== 'sticky') || other.contains(el) || other.getClientRects().length === 0) return false;
        const o = other.getBoundingClientRect();
        return o.left < r.right && o.right > r.left && o.top < r.bottom && o.bottom > r.top;
      }).map((other) => `${other.tagName.toLowerCase()}.${other.className}`),
    };
  });
}

function describeFocus(f) {
  return `${f.tag}${f.id ? `#${f.id}` : ''}${f.name ? `[name=${f.name}]` : ''}${f.text ? ` "${f.text}"` : ''}`;
}

/** Fails unless the focused element shows that it has focus, on screen, with nothing over it. */
function assertFocusVisible(f) {
  assert.ok(f.outline || f.boxShadow, `focus is not visible on ${describeFocus(f)}: no outline and no box-shadow`);
  assert.ok(f.inView, `${describeFocus(f)} has focus but is off screen`);
  assert.ok(f.whole, `${describeFocus(f)} has focus but is partly off screen: ${JSON.stringify(f.rect)}`);
  assert.equal(f.coveredBy, '', `${describeFocus(f)} has focus but ${f.coveredBy} is drawn over it`);
  assert.deepEqual(f.overlapping, [], `${describeFocus(f)} has focus but is under something fixed or sticky`);
}

/**
 * Presses keys on a page, checking after each that focus is visible, and
 * keeping the trail of keys and focus, to tell where it went wrong.
 */
function keyboard(page) {
  const trail = [];
  const key = async (k) => {
    await page.keyboard.press(k);
    const f = await focused(page);
    trail.push(`${k} → ${describeFocus(f)}`);
    try {
      if (f.tag !== 'main' && f.tag !== 'body') assertFocusVisible(f); // main takes focus from the skip link; it is not a control
    } catch (err) {
      err.message += `\nThe keys pressed so far:\n  ${trail.slice(-30).join('\n  ')}`;
      throw err;
    }
    return f;
  };
  /** Presses Tab (or Shift+Tab) until match(focus), up to 40 times. */
  const tabTo = async (match, k = 'Tab') => {
    for (let i = 0; i < 40; i++) {
      const f = await key(k);
      if (match(f)) return f;
    }
    assert.fail(`${k} never got there:\n  ${trail.slice(-45).join('\n  ')}`);
  };
  return { key, tabTo, trail };
}

test('the 4-7 form completed with the keyboard alone', TEST_TIMEOUT, async (t) => {
  const before = await heard.results.count('cared-for-2026');
  // The plain form; the one-question screens have their own keyboard test.
  const page = await heard.open(t, { width: 390, height: 844, scripts: false });
  await page.goto('/s/cared-for-2026/4-7');
  const { key } = keyboard(page);

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
  // on every link, and on each box and the button of the form to ask for
  // someone to talk.
  f = await key('Tab');
  assert.equal(f.cls, 'skip-link');
  const stops = await page.locator('a[href], main input:not([type="hidden"]), main textarea, main button').count();
  const reached = [];
  for (let i = 1; i < stops; i++) {
    f = await key('Tab');
    reached.push(f.tag);
    assert.ok(['a', 'input', 'textarea', 'button'].includes(f.tag), `Tab reached ${describeFocus(f)} on the thank-you page`);
  }
  assert.deepEqual(reached.filter((tag) => tag !== 'a'), ['input', 'input', 'textarea', 'button'], 'Tab reaches the form to ask for someone to talk');
  assertSameHost(page);
});

test('the one-question screens completed with the keyboard alone: focus moves to each question, always visible', TEST_TIMEOUT, async (t) => {
  const before = await heard.results.count('cared-for-2026');
  const page = await heard.open(t, { width: 360, height: 640 });
  await page.goto('/s/cared-for-2026/11-18');
  const { key, tabTo } = keyboard(page);
  const isQuestion = (f, n) => f.tag === 'legend' && new RegExp(`^Question ${n} of \\d+`).test(f.text);

  let f = await key('Tab');
  assert.equal(f.cls, 'skip-link', 'the skip link comes first');
  f = await tabTo((x) => x.tag === 'button' && x.text === 'Start');
  f = await key('Enter');
  assert.ok(isQuestion(f, 1), `Start moves focus to the first question, not ${describeFocus(f)}`);

  const kinds = new Set();
  let wentBack = false;
  let n = 1;
  for (; n < 60 && (await currentQuestion(page).count()) > 0; n++) {
    const type = await currentQuestion(page).getAttribute('data-type');
    kinds.add(type);
    f = await key('Tab');
    if (type === 'text') {
      assert.equal(f.tag, 'textarea', `Tab goes from question ${n} to its box`);
      await page.keyboard.type('More trips');
      await tabTo((x) => x.text === 'Next');
    } else if (type === 'multi_choice') {
      assert.equal(f.type, 'checkbox');
      f = await key('Space');
      assert.ok(f.checked, 'Space ticks');
      f = await key('Tab');
      assert.equal(f.type, 'checkbox', 'Tab goes to the next answer');
      f = await key('Space');
      assert.ok(f.checked);
      f = await key('Shift+Tab');
      assert.ok(f.type === 'checkbox' && f.checked, 'Shift+Tab goes back to the answer before, still ticked');
      await tabTo((x) => x.text === 'Next');
    } else {
      assert.equal(f.type, 'radio', `Tab goes from question ${n} to its answers, not ${describeFocus(f)}`);
      f = await key(n % 2 ? 'Space' : 'ArrowDown');
      assert.ok(f.checked, 'Space, or an arrow key, chooses');
    }
    if (n === 3 && !wentBack) {
      wentBack = true;
      // Back, by keyboard, and on again, with the answer kept.
      await tabTo((x) => x.text === 'Back');
      f = await key('Enter');
      assert.ok(isQuestion(f, 2), `Back moves focus to question 2, not ${describeFocus(f)}`);
      assert.ok(await currentQuestion(page).locator('input:checked').count() > 0, 'its answer is kept');
      f = await tabTo((x) => x.text === 'Next');
      f = await key('Shift+Tab');
      assert.equal(f.text, 'Back', 'Shift+Tab goes from Next to Back');
      f = await key('Tab');
      assert.equal(f.text, 'Next');
      f = await key('Enter');
      assert.ok(isQuestion(f, 3), `Next moves focus to question 3, not ${describeFocus(f)}`);
      n--; // question 3 again
      continue;
    }
    if (n === 5) await screenshot(page, 'keyboard-flow-answer-focus', { fullPage: false });
    // Enter on a choice goes on, as Next does; from a text box, Next is pressed.
    f = await key('Enter');
    if (await currentQuestion(page).count() === 0) break;
    assert.ok(isQuestion(f, n + 1), `focus moves to question ${n + 1}, not ${describeFocus(f)}`);
  }
  assert.deepEqual([...kinds].sort(), ['multi_choice', 'rating', 'scale', 'single_choice', 'text'], 'every kind of question');
  assert.ok(n >= 25, `${n} questions answered`);

  f = await focused(page);
  assert.equal(f.text, 'Check your answers', 'focus moves to the check of the answers');
  await tabTo((x) => x.text === 'Send my answers');
  await screenshot(page, 'keyboard-flow-send-focus', { fullPage: false });
  await Promise.all([page.waitForURL('**/s/cared-for-2026/11-18/thanks'), page.keyboard.press('Enter')]);
  assert.equal(await page.locator('h1').textContent(), 'Thank you. Your answers have been sent.');
  assert.equal(await eventually(() => heard.results.count('cared-for-2026'), before + 1), before + 1);
  assertNoPageErrors(page);
  assertSameHost(page);
});
