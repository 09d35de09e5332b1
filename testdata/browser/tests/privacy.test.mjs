// The privacy notice young people read (/privacy): at a small old phone's
// width in English and in Arabic (right to left), checked with axe-core and
// for sideways scroll; without JavaScript; and reached by keyboard alone
// from a survey's welcome page and from the form, where it opens in a new
// tab so that no answer is lost.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { COUNCIL, TEST_TIMEOUT, assertNoPageErrors, checkPage, useHeard } from './helpers.mjs';

const heard = useHeard();

/** The notice's headings: the questions a young person asks. */
const QUESTIONS = {
  en: ['What do we keep?', 'How long do we keep it?', 'Who sees it?', 'Can anyone find out it was me?',
    "What if I'm worried or want to ask something?"],
  ar: ['ما الذي نحتفظ به؟', 'إلى متى نحتفظ به؟', 'من يرى ذلك؟', 'هل يمكن لأحد أن يعرف أنني أنا؟',
    'ماذا لو كنت قلقًا أو أردت أن أسأل عن شيء؟'],
};

const headings = (page) => page.locator('main h2').evaluateAll((hs) => hs.map((h) => h.textContent.trim()));

/** Presses Tab until the footer's privacy link has focus, and says how many presses it took. */
async function tabToPrivacyLink(page, most = 80) {
  for (let n = 1; n <= most; n++) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return {
        href: el.getAttribute('href') ?? '',
        inFooter: Boolean(el.closest('footer')),
        ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none',
      };
    });
    if (at.inFooter && at.href.startsWith('/privacy')) {
      assert.ok(at.ring, 'the focused privacy link shows where focus is');
      return n;
    }
  }
  assert.fail(`the privacy link was not reached in ${most} presses of Tab`);
}

describe('privacy notice', () => {
  for (const width of [320, 390]) {
    test(`at ${width}px answers the young person's questions in English`, TEST_TIMEOUT, async (t) => {
      const page = await heard.open(t, { width, height: 700 });
      const res = await page.goto('/privacy');
      assert.equal(res.status(), 200);
      assert.equal(await page.title(), 'Your privacy – Heard');
      assert.equal(await page.locator('h1').textContent(), 'Your privacy');
      assert.deepEqual(await headings(page), QUESTIONS.en);
      const main = await page.locator('main').textContent();
      for (const want of [`what ${COUNCIL.name} keeps`, 'usually for 2 years after the survey ends', 'fewer than 5',
        'ask an adult you trust', 'we tell a safeguarding lead straight away']) {
        assert.ok(main.includes(want), `the notice says “${want}”`);
      }
      assert.equal(await page.locator('footer a[href="/privacy"]').getAttribute('aria-current'), 'page');
      assert.equal(await page.locator('main a[href="/help"]').textContent(), 'get help now');
      await checkPage(page, 'privacy');
    });
  }

  test('at 320px in Arabic reads right to left', TEST_TIMEOUT, async (t) => {
    const page = await heard.open(t, { width: 320, height: 700 });
    const res = await page.goto('/privacy?lang=ar');
    assert.equal(res.status(), 200);
    assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    assert.equal(await page.locator('h1').textContent(), 'خصوصيتك');
    assert.deepEqual(await headings(page), QUESTIONS.ar);
    assert.match(await page.locator('main').textContent(), /سنتين/, 'the two years are said in Arabic');
    // Every link on the page keeps the language.
    assert.equal(await page.locator('footer a[aria-current="page"]').getAttribute('href'), '/privacy?lang=ar');
    assert.equal(await page.locator('main a[href="/help?lang=ar"]').count(), 1);
    await checkPage(page, 'privacy-ar');
  });

  test('reads the same without JavaScript', TEST_TIMEOUT, async (t) => {
    const page = await heard.open(t, { width: 320, height: 700, javaScriptEnabled: false });
    const res = await page.goto('/privacy');
    assert.equal(res.status(), 200);
    assert.deepEqual(await headings(page), QUESTIONS.en);
    await checkPage(page, 'privacy-no-js');
  });
});

describe('the link to the privacy notice', () => {
  test('is reached by keyboard from a survey\'s welcome page, and Enter opens the notice', TEST_TIMEOUT, async (t) => {
    const page = await heard.open(t, { width: 320, height: 700 });
    await page.goto('/s/cared-for-2026');
    const presses = await tabToPrivacyLink(page);
    t.diagnostic(`the privacy link is ${presses} presses of Tab from the top of the welcome page`);
    await Promise.all([page.waitForURL('**/privacy'), page.keyboard.press('Enter')]);
    assert.equal(await page.locator('h1').textContent(), 'Your privacy');
    assertNoPageErrors(page);
  });

  test('from the form opens in a new tab and the answers stay', TEST_TIMEOUT, async (t) => {
    const page = await heard.open(t, { width: 320, height: 700, scripts: false });
    await page.goto('/s/cared-for-2026/4-7');
    const first = page.locator('main input[type=radio]').first();
    await first.check();
    const link = page.locator('footer a[href="/privacy"]');
    assert.equal(await link.getAttribute('target'), '_blank');
    assert.match(await link.textContent(), /opens in a new tab/);
    await tabToPrivacyLink(page, 200);
    const [notice] = await Promise.all([page.context().waitForEvent('page'), page.keyboard.press('Enter')]);
    await notice.waitForLoadState();
    assert.equal(new URL(notice.url()).pathname, '/privacy');
    assert.equal(await notice.locator('h1').textContent(), 'Your privacy');
    assert.ok(await first.isChecked(), 'the answer on the form is still there');
  });

  test('is in the footer of every young person\'s page, in Arabic too', TEST_TIMEOUT, async (t) => {
    const page = await heard.open(t, { width: 320, height: 700 });
    for (const [path, href] of [
      ['/', '/privacy'], ['/help', '/privacy'], ['/s/cared-for-2026', '/privacy'], ['/you-said-we-did', '/privacy'],
      ['/join', '/privacy'], ['/s/no-such-survey', '/privacy'], ['/s/cared-for-2026?lang=ar', '/privacy?lang=ar'],
    ]) {
      await page.goto(path);
      assert.equal(await page.locator(`footer a[href="${href}"]`).count(), 1, `${path} links to ${href}`);
    }
  });
});
