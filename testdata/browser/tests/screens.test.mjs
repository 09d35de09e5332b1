// Every page and screen a young person meets on a phone, in English and
// in Arabic (right to left), at 320px (a small old phone) and 390px (a
// common one), with JavaScript: the welcome page, the code entry and each
// of its errors, the one-question screens (start, a question of each
// kind, a question with an error, the check of the answers, sending, saved
// offline, sent already), the thank-you page with and without help first,
// and the help page. Each is photographed to artifacts/screenshots/
// (NAME-LANG-WIDTH.png), has no sideways scroll, and has no axe-core
// violations of WCAG 2.0, 2.1 and 2.2 A and AA. (The "too many tries"
// page is in codes.test.mjs, with a server of its own.)
//
// The screens are reached by clicking: headless Chromium leaves the
// highlight of a tap on the screen that follows it, which would spoil the
// photographs (taps are tested in flow.test.mjs and touch-no-js.test.mjs).

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { request } from 'playwright-core';
import {
  answerCurrent, assertNoPageErrors, checkPage, currentQuestion, staffAPI, toReview, useHeard,
} from './helpers.mjs';

const heard = useHeard();
const SLUG = 'cared-for-2026';
const CODED = 'screens-with-codes';

/**
 * Makes the survey that needs a code, once for the file, and returns its
 * codes: one that works, and one already used.
 */
let made;
const codedSurvey = () => (made ??= makeCodedSurvey());

async function makeCodedSurvey() {
  const codes = {};
  const api = await staffAPI(heard.server);
  try {
    await api.createSurvey({
      slug: CODED, edition: 2026, kind: 'other', require_code: true,
      title: { en: 'Your say on contact', ar: 'رأيك في التواصل' },
      versions: [{ key: 'all', label: { en: 'Everyone', ar: 'الجميع' }, questions: [
        { key: 'ok', type: 'scale', text: { en: 'Do you see your family as much as you want?' },
          choices: [{ key: 'yes', label: { en: 'Yes' } }, { key: 'no', label: { en: 'No' } }] },
      ] }],
    });
    [codes.works, codes.used] = (await api.readCards((await api.createCodes(CODED, 2)).pdf)).codes;
    const anyone = await request.newContext({ baseURL: heard.server.url });
    const r = await anyone.post(`/api/v1/surveys/${CODED}/responses`, {
      data: { id: randomUUID(), version: 'all', lang: 'en', answers: { ok: 'yes' }, code: codes.used },
    });
    assert.equal(r.status(), 201);
    await anyone.dispose();
  } finally {
    await api.dispose();
  }
  return codes;
}

for (const lang of ['en', 'ar']) {
  for (const width of [320, 390]) {
    test(`every screen in ${lang === 'en' ? 'English' : 'Arabic'} at ${width}px`, { timeout: 90_000 }, async (t) => {
      const codes = await codedSurvey();
      const page = await heard.open(t, { width, height: 640, hasTouch: true, isMobile: true });
      /** The address in this test's language. */
      const at = (path) => (lang === 'en' ? path : `${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
      const check = async (name) => {
        assert.equal(await page.locator('html').getAttribute('dir'), lang === 'ar' ? 'rtl' : 'ltr', `${name}: the page's direction`);
        await checkPage(page, `${name}-${lang}`);
      };

      await page.goto(at(`/s/${SLUG}`));
      await check('welcome');
      await page.goto(at('/help'));
      await check('help');

      // Access codes.
      assert.equal((await page.goto(at(`/s/${CODED}`))).status(), 200);
      await check('code-entry');
      assert.equal((await page.goto(at(`/s/${CODED}?code=ZZZ-ZZZ-ZZZ`))).status(), 422);
      await check('code-wrong');
      assert.equal((await page.goto(at(`/s/${CODED}?code=`))).status(), 422);
      await check('code-missing');
      assert.equal((await page.goto(at(`/s/${CODED}?code=${codes.used}`))).status(), 409);
      await check('code-used');
      assert.equal((await page.goto(at(`/s/${CODED}?code=${codes.works}`))).status(), 200);
      await check('code-works');

      // The one-question screens of the 11-18 version, which has every kind of question.
      await page.goto(at(`/s/${SLUG}/11-18`));
      await check('flow-start');
      await page.locator('.start .button--big').click();
      const kinds = new Set();
      let errorShown = false;
      for (let i = 0; i < 60 && (await currentQuestion(page).count()) > 0; i++) {
        const kind = await currentQuestion(page).getAttribute('data-type');
        if (!kinds.has(kind)) {
          kinds.add(kind);
          await check(`flow-question-${kind.replace('_', '-')}`);
        }
        if (kind === 'text' && !errorShown) {
          // Too long: the question says so, and stays.
          errorShown = true;
          await currentQuestion(page).locator('textarea').fill('I like my foster home. '.repeat(100));
          await page.locator('.nav__next').click();
          await currentQuestion(page).locator('.error-message').waitFor();
          await check('flow-question-error');
        }
        await answerCurrent(page);
        await page.locator('.nav__next').click();
      }
      assert.deepEqual([...kinds].sort(), ['multi_choice', 'rating', 'scale', 'single_choice', 'text']);
      await check('flow-review');

      // Sending: the answers on their way (held here), then no connection.
      let reached;
      const held = new Promise((resolve) => { reached = resolve; });
      await page.route(`**/api/v1/surveys/${SLUG}/responses`, (route) => reached(route));
      await page.locator('.send button').click();
      const route = await held;
      await page.locator('.send .status').filter({ hasText: /./ }).waitFor();
      await check('flow-sending');
      await page.context().setOffline(true);
      await route.abort('internetdisconnected');
      await page.locator('.notice h2').waitFor();
      await check('flow-queued');
      // Back online, they send themselves.
      await page.unroute(`**/api/v1/surveys/${SLUG}/responses`);
      await page.context().setOffline(false);
      await page.waitForURL(`**/s/${SLUG}/11-18/thanks*`, { timeout: 15_000 });
      await check('thanks');
      await page.goto(at(`/s/${SLUG}/11-18/thanks?help=1`));
      assert.equal(await page.locator('.panel--help').count(), 1, 'help comes first');
      await check('thanks-help');

      // Sent already: answers with this phone's id were stored before, and differ.
      await page.route(`**/api/v1/surveys/${SLUG}/responses`, (r) => r.fulfill({
        status: 409, contentType: 'application/json', body: JSON.stringify({ error: 'These answers were sent already.' }),
      }));
      await page.goto(at(`/s/${SLUG}/4-7`));
      await page.locator('.start .button--big').click();
      await toReview(page);
      await page.locator('.send button').click();
      await page.locator('.notice h2').waitFor();
      assert.equal(await page.locator('.notice h2').textContent(), lang === 'en' ? 'Your answers were sent already' : 'أُرسلت إجاباتك من قبل');
      await check('flow-done');
      assertNoPageErrors(page);
    });
  }
}
