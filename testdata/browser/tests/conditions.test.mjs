// show_if in the page: every case of testdata/conditions.json, run through
// the page's own conditions.js, gives the visibility surveys/condition.go
// gives (surveys/condition_test.go runs the same cases in Go). Once with the
// file's rules as they are, and once with the rules as the server puts them
// in a form's data-show-if attributes, for a survey made of the file's
// version.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { TEST_TIMEOUT, staffAPI, useHeard } from './helpers.mjs';

const heard = useHeard();
const file = JSON.parse(await readFile(new URL('../../conditions.json', import.meta.url), 'utf8'));

/** The hashed URL of conditions.js, from the form page's module preloads. */
async function conditionsURL(page) {
  return page.locator('link[rel=modulepreload][href*="/conditions."]').getAttribute('href');
}

/** Fails with every case whose visibility differs, not only the first. */
function assertCases(results) {
  const wrong = [];
  file.cases.forEach((c, i) => {
    for (const [key, want] of Object.entries(c.visible)) {
      if (results[i][key] !== want) wrong.push(`${c.name}: ${key} shown ${results[i][key]}, want ${want}`);
    }
  });
  assert.deepEqual(wrong, [], `conditions.js disagrees with surveys/condition.go:\n  ${wrong.join('\n  ')}`);
}

test(`the ${file.cases.length} cases of conditions.json through conditions.js`, TEST_TIMEOUT, async (t) => {
  const page = await heard.open(t);
  await page.goto('/s/cared-for-2026/11-18');
  const results = await page.evaluate(async ({ url, file }) => {
    const { visible } = await import(url);
    const questions = file.version.questions.map((q) => ({ key: q.key, type: q.type, showIf: q.show_if ?? null }));
    return file.cases.map((c) => {
      const shown = visible(questions, c.answers);
      return Object.fromEntries(questions.map((q, i) => [q.key, shown[i]]));
    });
  }, { url: await conditionsURL(page), file });
  assert.equal(results.length, file.cases.length);
  assertCases(results);
});

test('the same cases with the rules the server writes into the form', TEST_TIMEOUT, async (t) => {
  const api = await staffAPI(heard.server);
  t.after(() => api.dispose());
  const slug = 'condition-cases';
  await api.createSurvey({
    slug, edition: 2026, kind: 'other', title: { en: 'Condition cases' }, versions: [file.version],
  });
  const page = await heard.open(t);
  await page.goto(`/s/${slug}/${file.version.key}`);
  const results = await page.evaluate(async ({ url, file }) => {
    const { visible } = await import(url);
    const questions = [...document.querySelectorAll('fieldset.question')].map((fs) => ({
      key: fs.dataset.key, type: fs.dataset.type, showIf: fs.dataset.showIf ? JSON.parse(fs.dataset.showIf) : null,
    }));
    return file.cases.map((c) => {
      const shown = visible(questions, c.answers);
      return Object.fromEntries(questions.map((q, i) => [q.key, shown[i]]));
    });
  }, { url: await conditionsURL(page), file });
  assertCases(results);
});
