// The young person's pages as they first see them: the start page, help,
// a survey's welcome page, a form and the page-not-found page, each at a
// small old phone's width (320px) and a common one (390px), checked for
// sideways scroll and with axe-core, and photographed.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { COUNCIL, DEMO_SURVEYS, TEST_TIMEOUT, checkPage, useHeard } from './helpers.mjs';

const heard = useHeard();

/** The footer says who listens, and offers help. */
async function assertFooter(page) {
  const footer = page.locator('footer');
  assert.match(await footer.textContent(), new RegExp(`Heard is how ${COUNCIL.name} listens to children and young people\\.`));
  assert.equal(await footer.locator('a[href="/help"]').count(), 1);
}

describe('home page', () => {
  for (const width of [320, 390, 1280]) {
    test(`at ${width}px lists the open surveys`, TEST_TIMEOUT, async (t) => {
      const page = await heard.open(t, { width, height: width > 1000 ? 800 : 700 });
      const res = await page.goto('/');
      assert.equal(res.status(), 200);
      assert.equal(await page.title(), 'Have your say – Heard');
      assert.equal(await page.locator('h1').textContent(), 'Have your say');
      const hrefs = await page.locator('main .link-list a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.deepEqual([...hrefs].sort(), DEMO_SURVEYS.map((s) => `/s/${s}`).sort());
      for (const a of await page.locator('main .link-list a').all()) {
        assert.ok((await a.textContent()).trim().length > 0, 'every survey link has words');
      }
      await assertFooter(page);
      await checkPage(page, 'home');
    });
  }

  test('a survey link opens the survey', TEST_TIMEOUT, async (t) => {
    const page = await heard.open(t);
    await page.goto('/');
    await page.locator('main a[href="/s/cared-for-2026"]').click();
    await page.waitForURL('**/s/cared-for-2026');
    assert.equal(await page.locator('h1').textContent(), 'Your life in care 2026');
  });
});

describe('help page', () => {
  for (const width of [320, 390]) {
    test(`at ${width}px gives Childline, the council and 999`, TEST_TIMEOUT, async (t) => {
      const page = await heard.open(t, { width });
      const res = await page.goto('/help');
      assert.equal(res.status(), 200);
      assert.equal(await page.locator('h1').textContent(), 'Get help now');
      const childline = page.locator('main a[href="tel:08001111"]');
      assert.equal(await childline.textContent(), '0800 1111');
      assert.equal(await page.locator(`main a[href="${COUNCIL.tel}"]`).textContent(), COUNCIL.phone);
      const councilLine = await page.locator('main li', { has: page.locator(`a[href="${COUNCIL.tel}"]`) }).textContent();
      assert.match(councilLine, new RegExp(COUNCIL.name));
      assert.equal(await page.locator('main a[href="tel:999"]').textContent(), '999');
      assert.equal(await page.locator('header .help-link').getAttribute('aria-current'), 'page');
      await assertFooter(page);
      await checkPage(page, 'help');
    });
  }
});

describe('survey welcome page', () => {
  for (const width of [320, 390]) {
    test(`at ${width}px links to each version`, TEST_TIMEOUT, async (t) => {
      const page = await heard.open(t, { width });
      const res = await page.goto('/s/cared-for-2026');
      assert.equal(res.status(), 200);
      assert.equal(await page.locator('h1').textContent(), 'Your life in care 2026');
      const versions = await page.locator('main .link-list a').evaluateAll((as) =>
        as.map((a) => [a.getAttribute('href'), a.textContent.trim()]));
      assert.deepEqual(versions, [
        ['/s/cared-for-2026/4-7', 'I am 4 to 7'],
        ['/s/cared-for-2026/8-11', 'I am 8 to 11'],
        ['/s/cared-for-2026/11-18', 'I am 11 to 18'],
      ]);
      assert.match(await page.locator('main').textContent(), new RegExp(`This survey is from ${COUNCIL.name}`));
      await assertFooter(page);
      await checkPage(page, 'survey');
      await page.getByRole('link', { name: 'I am 11 to 18' }).click();
      await page.waitForURL('**/s/cared-for-2026/11-18');
    });
  }
});

describe('survey form', () => {
  for (const width of [320, 390]) {
    test(`at ${width}px is one labelled form`, TEST_TIMEOUT, async (t) => {
      const page = await heard.open(t, { width });
      const res = await page.goto('/s/cared-for-2026/11-18');
      assert.equal(res.status(), 200);
      assert.equal(await page.title(), 'Age 11 to 18 – Your life in care 2026 – Heard');
      const form = page.locator('main form');
      assert.equal(await form.getAttribute('method'), 'post');
      assert.equal(await form.getAttribute('action'), '/s/cared-for-2026/11-18');
      assert.match(await form.locator('input[name="id"]').inputValue(), /^[0-9a-f-]{36}$/);
      // Every question is a fieldset with a legend; every control has a label.
      const questions = await form.locator('fieldset.question').count();
      assert.ok(questions >= 30, `the 11-18 version has its questions (${questions})`);
      assert.equal(await form.locator('fieldset.question > legend').count(), questions);
      const unlabelled = await form.locator('input[type=radio], input[type=checkbox], textarea').evaluateAll((els) =>
        els.filter((el) => el.labels.length === 0 && !el.getAttribute('aria-labelledby')).map((el) => el.id));
      assert.deepEqual(unlabelled, []);
      // Nothing on the form leads away from the answers in the same tab.
      const sameTabLinks = await page.locator('a[href]:not([target=_blank]):not(.skip-link)').count();
      assert.equal(sameTabLinks, 0, 'links on the form open in a new tab');
      await assertFooter(page);
      await checkPage(page, 'form');
    });
  }
});

describe('page not found', () => {
  for (const width of [320, 390]) {
    test(`at ${width}px says so kindly`, TEST_TIMEOUT, async (t) => {
      const page = await heard.open(t, { width });
      const res = await page.goto('/s/no-such-survey');
      assert.equal(res.status(), 404);
      assert.equal(await page.locator('h1').textContent(), 'Page not found');
      assert.match(await page.title(), /^Page not found – Heard$/);
      assert.equal(await page.locator('main a[href="/"]').count(), 1, 'a way back to the start');
      assert.equal(await page.locator('main a[href="/help"]').count(), 1, 'a way to help');
      await assertFooter(page);
      await checkPage(page, 'not-found');
    });
  }
});
