// The staff workspace in a real browser: each role signs in with the
// sign-in form and walks every page its navigation offers, each checked
// with axe-core and photographed at 1280px (a laptop) and 768px (a
// tablet); two people editing one survey; next year's edition compared
// with this year's; and a board member who cannot reach anyone's words.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { request } from 'playwright-core';
import { STAFF, TEST_TIMEOUT, checkPage, eventually, useHeard } from './helpers.mjs';

const heard = useHeard({ staff: true, results: true });
const SURVEY = 'cared-for-2026';
const WIDTHS = [1280, 768];
const SLOW = { timeout: 180_000 };

/** Opens a page and signs in as role with the sign-in form, by keyboard. */
async function signIn(t, role, { width = 1280 } = {}) {
  const page = await heard.open(t, { width, height: 900 });
  await page.goto('/staff');
  assert.match(new URL(page.url()).pathname, /^\/staff\/sign-in$/, 'an anonymous visit goes to the sign-in page');
  await page.getByLabel('Email address').fill(STAFF[role].email);
  await page.getByLabel('Password').fill(STAFF[role].password);
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.pathname === '/staff' || u.pathname === '/staff/');
  assert.equal(await page.locator('h1').textContent(), 'Home');
  return page;
}

/** The addresses of the navigation's links, in order. */
const navLinks = (page) => page.locator('nav.nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));

/** Sends one response through the API, as a phone's script does. */
async function answer(slug, answers, version = '11-18') {
  const api = await request.newContext({ baseURL: heard.server.url });
  try {
    const r = await api.post(`/api/v1/surveys/${slug}/responses`, { data: { id: randomUUID(), version, lang: 'en', answers } });
    assert.equal(r.status(), 201, `answer ${slug}: ${r.status()} ${await r.text()}`);
    return await r.json();
  } finally {
    await api.dispose();
  }
}

/** The pages each role's navigation must offer, and no others. */
const NAV = {
  admin: ['/staff', '/staff/surveys', '/staff/sessions', '/staff/schools', '/staff/areas', '/staff/summary', '/staff/actions', '/staff/voices', '/staff/themes', '/staff/people', '/staff/settings', '/staff/audit'],
  analyst: ['/staff', '/staff/surveys', '/staff/sessions', '/staff/schools', '/staff/areas', '/staff/summary', '/staff/actions', '/staff/voices', '/staff/themes'],
  board: ['/staff', '/staff/surveys', '/staff/areas', '/staff/summary', '/staff/actions'],
  facilitator: ['/staff', '/staff/sessions'],
  school_lead: ['/staff', '/staff/schools'],
  safeguarding_lead: ['/staff', '/staff/safeguarding'],
};

/** Pages inside a survey that managers (and, for results, the board) open. */
const SURVEY_PAGES = {
  admin: ['', '/edit', '/results', '/codes', '/preview/11-18'],
  analyst: ['', '/edit', '/results', '/codes', '/preview/11-18'],
  board: ['/results'],
};

describe('each role walks its pages', () => {
  test('the sign-in page, and a wrong password', TEST_TIMEOUT, async (t) => {
    for (const width of WIDTHS) {
      const page = await heard.open(t, { width, height: 900 });
      await page.goto('/staff/sign-in');
      await checkPage(page, 'staff-sign-in');
      await page.getByLabel('Email address').fill(STAFF.admin.email);
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await assert.doesNotReject(page.getByRole('alert').waitFor());
      assert.match(await page.getByRole('alert').textContent(), /The email or password is not right\./);
      await checkPage(page, 'staff-sign-in-error');
    }
  });

  for (const role of Object.keys(NAV)) {
    test(`${role}: every page of the navigation, at ${WIDTHS.join(' and ')}px`, SLOW, async (t) => {
      for (const width of WIDTHS) {
        const page = await signIn(t, role, { width });
        assert.deepEqual(await navLinks(page), NAV[role]);
        for (const href of NAV[role]) {
          const res = await page.goto(href);
          assert.equal(res.status(), 200, `${role} ${href}`);
          await checkPage(page, `staff-${role}${href.replace(/\//g, '-').replace(/^-staff/, '') || '-home'}`);
        }
        for (const sub of SURVEY_PAGES[role] ?? []) {
          const res = await page.goto(`/staff/surveys/${SURVEY}${sub}`);
          assert.equal(res.status(), 200, `${role} ${sub}`);
          await checkPage(page, `staff-${role}-survey${sub.replace(/\//g, '-')}`);
        }
        // Signing out ends the session: the workspace asks to sign in again.
        await page.goto('/staff');
        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.waitForURL(/\/staff\/sign-in/);
        await page.goto('/staff');
        assert.match(new URL(page.url()).pathname, /\/staff\/sign-in$/);
      }
    });
  }
});

test('a worrying answer is on the safeguarding lead\'s home page, and the lead records what was done', SLOW, async (t) => {
  const reply = await answer(SURVEY, { anything_else: 'my mums boyfriend hits me and says if i tell ill get moved' });
  assert.equal(reply.help.show, true, 'the phone is asked to show help');
  for (const width of WIDTHS) {
    const page = await signIn(t, 'safeguarding_lead', { width });
    const flags = page.getByRole('region', { name: 'Flags to review' });
    await assert.doesNotReject(flags.waitFor());
    if (width === WIDTHS[0]) {
      await checkPage(page, 'staff-safeguarding_lead-home-flagged');
    }
    await flags.getByRole('listitem').first().getByRole('link').click();
    await page.waitForURL(/\/staff\/safeguarding\/[0-9a-f]+$/);
    assert.match(await page.locator('blockquote').textContent(), /if i tell ill get moved/);
    await checkPage(page, 'staff-safeguarding-flag');
    if (width !== WIDTHS.at(-1)) {
      continue;
    }
    // A decision without its service is refused beside the field.
    await page.getByLabel('Passed to a named service').check();
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await assert.doesNotReject(page.getByRole('alert').waitFor());
    await checkPage(page, 'staff-safeguarding-flag-error');
    await page.getByLabel('The service it was passed to').fill('CAMHS');
    await page.getByLabel('Note (optional)').fill('Talked with the placement team.');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await page.waitForURL(/\/staff\/safeguarding\?done=decided$/);
    assert.match(await page.locator('main').textContent(), /Reviewed \(1\)/);
    await checkPage(page, 'staff-safeguarding-queue-reviewed');
  }
});

test('an analyst reviews comments: accepts one, sets themes on two', SLOW, async (t) => {
  const page = await signIn(t, 'analyst', { width: 1280 });
  // One survey's comments: fewer than a page, so that each review shows.
  await page.goto('/staff/voices?survey=school-council-2026');
  const items = page.locator('.voice-item');
  assert.ok(await items.count() >= 3, 'the demo answers give comments to review');
  const before = await items.count();
  await items.nth(0).getByRole('button', { name: /^Accept/ }).click();
  await page.waitForURL(/done=reviewed/);
  assert.match(await page.getByRole('status').first().textContent(), /Your review was saved/);
  assert.equal(await page.locator('.voice-item').count(), before - 1, 'the reviewed comment leaves the unreviewed list');
  await page.locator('.voice-item').nth(0).getByRole('checkbox').check();
  await page.locator('.voice-item').nth(1).getByRole('checkbox').check();
  await page.getByLabel('Things to do').check();
  await page.getByLabel('Positive').check();
  await page.getByRole('button', { name: 'Set themes and feeling' }).click();
  await page.waitForURL(/done=reviewed/);
  assert.equal(await page.locator('.voice-item').count(), before - 3);
  await checkPage(page, 'staff-analyst-voices-reviewed');
  const res = await page.goto('/staff/themes/emerging');
  assert.equal(res.status(), 200);
  await checkPage(page, 'staff-analyst-themes-emerging');
  await page.goto(`/staff/voices/${await firstVoiceID(page)}/quote`);
  await checkPage(page, 'staff-analyst-quote');
});

/** The id of the first comment on the review page. */
async function firstVoiceID(page) {
  await page.goto('/staff/voices?unreviewed=0');
  return page.locator('.voice-item input[name=id]').first().getAttribute('value');
}

test('two people edit the same survey: the second save is refused, showing the first one\'s change', SLOW, async (t) => {
  const admin = await signIn(t, 'admin');
  // A draft of next year's survey to edit.
  await admin.goto('/staff/surveys');
  const form = admin.locator('form', { has: admin.getByRole('button', { name: 'Create the new edition' }) });
  await form.getByLabel('Survey it follows').selectOption('care-leavers-2026');
  await form.getByLabel('New edition (the year, optional)').fill('2027');
  await form.getByRole('button', { name: 'Create the new edition' }).click();
  await admin.waitForURL(/\/staff\/surveys\/care-leavers-2027/);

  const analyst = await signIn(t, 'analyst');
  await admin.goto('/staff/surveys/care-leavers-2027/edit');
  await analyst.goto('/staff/surveys/care-leavers-2027/edit');
  const title = (page) => page.locator('input[name="title.en"]');
  await title(admin).fill('Your life after care 2027 (admin)');
  await title(analyst).fill('Your life after care 2027 (analyst)');

  await admin.getByRole('button', { name: 'Save changes' }).first().click();
  await admin.waitForURL(/\/staff\/surveys\/care-leavers-2027\?done=saved/);

  const res = analyst.waitForResponse((r) => r.request().method() === 'POST');
  await analyst.getByRole('button', { name: 'Save changes' }).first().click();
  assert.equal((await res).status(), 409);
  assert.match(await analyst.getByRole('alert').textContent(), /Someone else saved this survey/);
  assert.equal(await title(analyst).inputValue(), 'Your life after care 2027 (admin)', 'the other person\'s change is shown');
  assert.match(await analyst.locator('main').textContent(), /Your life after care 2027 \(analyst\)/, 'what this person typed is not lost');
  await checkPage(analyst, 'staff-edit-conflict');
});

test('next year\'s edition keeps every key, and its results compare with this year\'s', SLOW, async (t) => {
  const admin = await signIn(t, 'admin');
  await admin.goto('/staff/surveys');
  const form = admin.locator('form', { has: admin.getByRole('button', { name: 'Create the new edition' }) });
  await form.getByLabel('Survey it follows').selectOption(SURVEY);
  await form.getByLabel('New edition (the year, optional)').fill('2027');
  await form.getByRole('button', { name: 'Create the new edition' }).click();
  await admin.waitForURL(/\/staff\/surveys\/cared-for-2027/);

  // Every version, question and choice key is kept.
  const api = await request.newContext({ baseURL: heard.server.url });
  t.after(() => api.dispose());
  const login = await api.post('/api/v1/auth/login', { data: STAFF.analyst });
  assert.equal(login.status(), 200);
  const keys = (d) => d.versions.map((v) => [v.key, v.questions.map((q) => [q.key, (q.choices ?? []).map((c) => c.key)])]);
  const [last, next] = await Promise.all([SURVEY, 'cared-for-2027'].map(async (slug) => (await api.get(`/api/v1/surveys/${slug}`)).json()));
  assert.deepEqual(keys(next), keys(last));
  assert.equal(next.edition, 2027);
  assert.equal(next.previous, SURVEY);

  // Open it, with the confirmation.
  await admin.getByRole('button', { name: 'Open the survey…' }).click();
  await admin.getByRole('button', { name: 'Open the survey' }).click();
  await admin.waitForURL(/done=opened/);

  // Twelve answers this year, all "yes": the share of yes moves against
  // last year's demo answers.
  for (let i = 0; i < 12; i++) await answer('cared-for-2027', { trusted_adult: 'yes', area: 'north' });
  assert.equal(await eventually(() => heard.results.count('cared-for-2027'), 12), 12);

  await admin.goto('/staff/surveys/cared-for-2027/results');
  const table = admin.locator('#q-trusted_adult table');
  assert.match(await table.locator('thead').textContent(), /Change since/);
  assert.match(await table.locator('tbody').textContent(), /points|no change/);
  for (const width of WIDTHS) {
    await admin.setViewportSize({ width, height: 900 });
    await checkPage(admin, 'staff-results-compared');
  }
});

test('the board reads what young people told us, theme by theme, on a small screen too', SLOW, async (t) => {
  for (let i = 0; i < 6; i++) await answer(SURVEY, { trusted_adult: 'no', good_text: `the buses are always late ${i}` });
  for (const width of [320, 1280]) {
    const page = await signIn(t, 'board', { width });
    await page.getByRole('link', { name: 'Summary' }).click();
    await page.waitForURL(/\/staff\/summary$/);
    const table = page.getByRole('table', { name: /Comments about each theme/ });
    const row = table.getByRole('row', { name: /Getting about/ });
    assert.match(await row.textContent(), /\d/, 'transport has a count');
    await checkPage(page, `staff-board-summary-${width}`);
    // A mistake in the filters is shown beside its field, and focus can reach it.
    await page.getByLabel('From', { exact: true }).fill('2026-12-01');
    await page.getByLabel('To', { exact: true }).fill('2026-11-01');
    await page.getByRole('button', { name: 'Show' }).click();
    await assert.doesNotReject(page.getByRole('alert').waitFor());
    assert.match(await page.getByRole('alert').textContent(), /The end must not be before the start/);
    await checkPage(page, `staff-board-summary-error-${width}`);
  }
});

test('a board member cannot reach anyone\'s words or a management page, by any address', SLOW, async (t) => {
  const words = `board must never read this ${randomUUID()}`;
  for (let i = 0; i < 6; i++) await answer(SURVEY, { trusted_adult: 'no', good_text: words });

  const board = await signIn(t, 'board');
  // Follow every link the board's pages offer, inside the workspace.
  const seen = new Set();
  const queue = ['/staff'];
  while (queue.length > 0) {
    const href = queue.shift();
    if (seen.has(href)) continue;
    seen.add(href);
    if (href.split('?')[0].endsWith('.pdf')) {
      // A download (the board report) is fetched, not opened as a page.
      const pdf = await board.request.get(href);
      assert.equal(pdf.status(), 200, href);
      assert.equal(pdf.headers()['content-type'], 'application/pdf', href);
      continue;
    }
    const res = await board.goto(href);
    assert.equal(res.status(), 200, href);
    assert.ok(!(await board.content()).includes(words), `${href} shows a young person's words`);
    for (const next of await board.locator('a[href^="/staff"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
      if (!seen.has(next) && seen.size + queue.length < 60) queue.push(next.split('#')[0]);
    }
  }
  assert.ok(seen.has(`/staff/surveys/${SURVEY}/results`), 'the board reads the results');
  assert.ok(seen.has(`/staff/surveys/${SURVEY}/board.pdf`), 'the board downloads its report');

  // Addresses that hold answers, codes or management are refused outright.
  const refused = [
    `/staff/surveys/${SURVEY}`, `/staff/surveys/${SURVEY}/edit`, `/staff/surveys/${SURVEY}/codes`,
    `/staff/surveys/${SURVEY}/preview/11-18`, '/staff/people', '/staff/settings', '/staff/audit',
  ];
  for (const href of refused) {
    const res = await board.goto(href);
    assert.equal(res.status(), 403, href);
    assert.ok(!(await board.content()).includes(words), `${href} shows a young person's words`);
  }
  await checkPage(board, 'staff-board-refused');
  // The API with the same session refuses the same.
  const api = await board.request.get(`/api/v1/surveys/${SURVEY}/codes`);
  assert.equal(api.status(), 403);
});
