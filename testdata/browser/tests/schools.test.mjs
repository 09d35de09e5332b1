// School councils in a real browser: an admin links a school lead to their
// school; the lead records a council meeting, partly by keyboard alone,
// corrects Heard's suggested themes, meets a form with mistakes, imports a
// term's meetings from a CSV file (one full of mistakes, then a good one),
// starts the pupil survey and cannot open another school's pages. An
// analyst reads the areas page, term by term; a board member may read it
// but not a school's records. And the meeting form records a meeting with
// JavaScript off. Every page is checked with axe-core at 320px (a small
// phone) and 1280px (a laptop).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { STAFF, checkPage, useHeard } from './helpers.mjs';

// HEARD_DEMO=true (which every test server runs with) gives nine made-up
// schools in North (4), Central (3) and South (2), with council meetings
// this term and last.
const heard = useHeard({ staff: true });
const SLOW = { timeout: 240_000 };
const WIDTHS = [320, 1280];

const LEAD_SCHOOL = { key: 'oakfield-primary', name: 'Oakfield Primary', option: 'Oakfield Primary (North)' };
const OTHER_SCHOOL = 'meadow-lane-primary';

/** Opens a page and signs in as role with the sign-in form. */
async function signIn(t, role, { width = 1280, ...options } = {}) {
  const page = await heard.open(t, { width, height: 900, ...options });
  await page.goto('/staff/sign-in');
  await page.getByLabel('Email address').fill(STAFF[role].email);
  await page.getByLabel('Password').fill(STAFF[role].password);
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.pathname === '/staff' || u.pathname === '/staff/');
  return page;
}

/**
 * Checks the page at each width (screenshot, no sideways scroll, axe-core,
 * nothing from other hosts), and leaves it at the width it had. A table
 * may scroll inside its .table-wrap; the page itself may not.
 */
async function checkWidths(page, name) {
  const size = page.viewportSize();
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: size.height });
    await checkPage(page, name);
  }
  await page.setViewportSize(size);
}

/** The element with focus, and whether its focus shows. */
const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name') ?? '',
    text: el.textContent.trim().replace(/\s+/g, ' ').slice(0, 60),
    // Chromium shows focus in a date box by marking its day, month or
    // year, inside the box, rather than by the box's outline.
    outline: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || el.type === 'date',
  };
});

/** Presses Tab until the focused element passes match, checking that focus always shows. */
async function tabUntil(page, match, what, { most = 80 } = {}) {
  for (let i = 0; i < most; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    assert.ok(f.outline || f.tag === 'body', `focus on ${f.tag}#${f.id} "${f.text}" is not visible`);
    if (match(f)) return f;
  }
  return assert.fail(`${what} never took focus within ${most} presses of Tab`);
}

/** The meeting form's items (their fieldsets). */
const items = (page) => page.locator('fieldset.meeting-item');

/** The rows of the school page's table of meetings. */
const meetingRows = (page) => page.locator('main table tbody tr');

/**
 * Presses key on the focused button and returns the response to the
 * form's POST, once the page at url (where it leads) has loaded.
 */
async function pressToPost(page, key, url) {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.waitForURL(url),
    page.keyboard.press(key),
  ]);
  return res;
}

/** A day this many days before today, as 2026-11-23. */
function daysAgo(n) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

/** Reads the QR codes in a PNG with zbarimg: the text each holds. */
async function readQR(png) {
  const dir = await mkdtemp(join(tmpdir(), 'heard-qr-'));
  try {
    const file = join(dir, 'qr.png');
    await writeFile(file, png);
    const out = await new Promise((resolve, reject) => {
      execFile('zbarimg', ['-q', '--raw', file], (err, stdout, stderr) => {
        if (err) reject(new Error(`zbarimg: ${err.message}\n${stderr}`));
        else resolve(stdout);
      });
    });
    return out.split('\n').map((l) => l.trim()).filter(Boolean);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Chooses a CSV file, made here, in the import form and sends it. */
async function importCSV(page, name, text) {
  await page.getByLabel('The CSV file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Check and import' }).click(),
  ]);
  await page.waitForLoadState('load');
  return res;
}

const HEADER = 'date,pupils,year_groups,said,supported_by,priority,status,school_did,themes';

describe('a school lead keeps their council\'s records', () => {
  test('linked by an admin, the lead records meetings, imports a term, starts the pupil survey, and sees no other school', SLOW, async (t) => {
    // An admin links the lead to their school on the People page.
    const admin = await signIn(t, 'admin');
    await admin.goto('/staff/people');
    await checkWidths(admin, 'schools-people');
    await admin.getByLabel(`School of ${STAFF.school_lead.email}`).selectOption({ label: LEAD_SCHOOL.option });
    await admin.getByRole('button', { name: `Link ${STAFF.school_lead.email} to the school` }).click();
    await admin.waitForURL(/\/staff\/people\?done=school-linked/);
    assert.match(await admin.getByRole('status').first().textContent(), /The school lead was linked to the school\./);
    assert.equal(await admin.getByLabel(`School of ${STAFF.school_lead.email}`).inputValue(), LEAD_SCHOOL.key);
    await checkWidths(admin, 'schools-people-linked');

    // The lead's School councils link goes straight to their school.
    const lead = await signIn(t, 'school_lead');
    await lead.locator('nav.nav a', { hasText: 'School councils' }).click();
    await lead.waitForURL(`**/staff/schools/${LEAD_SCHOOL.key}`);
    assert.equal(await lead.locator('h1').textContent(), LEAD_SCHOOL.name);
    assert.equal(await lead.locator('.breadcrumb').count(), 0, 'a lead is not offered the list of every school');
    const demoMeetings = await meetingRows(lead).count();
    assert.ok(demoMeetings >= 2, 'the demo gave the school meetings this term and last');
    await checkWidths(lead, 'schools-lead-school');

    // By keyboard: to the new meeting's form, its numbers and first item.
    await tabUntil(lead, (f) => f.tag === 'a' && f.text === 'Record a meeting', 'Record a meeting');
    await Promise.all([lead.waitForURL(`**/staff/schools/${LEAD_SCHOOL.key}/meetings/new`), lead.keyboard.press('Enter')]);
    assert.equal(await items(lead).count(), 3, 'a new meeting offers three empty items');
    await checkWidths(lead, 'schools-meeting-new');
    await tabUntil(lead, (f) => f.id === 'pupils', 'the number of pupils');
    await lead.keyboard.type('14');
    await tabUntil(lead, (f) => f.id === 'year-5', 'Year 5');
    await lead.keyboard.press('Space');
    await tabUntil(lead, (f) => f.id === 'year-6', 'Year 6');
    await lead.keyboard.press('Space');
    assert.ok(await lead.locator('#year-5').isChecked() && await lead.locator('#year-6').isChecked(), 'Space ticks the year groups');
    await tabUntil(lead, (f) => f.id === 'item-0-said', 'what pupils said, of item 1');
    await lead.keyboard.type('More clubs at lunchtime, especially football and art');
    await tabUntil(lead, (f) => f.id === 'item-0-support', 'the support of item 1');
    await lead.keyboard.type('40');
    await tabUntil(lead, (f) => f.id === 'item-0-priority', 'the priority of item 1');
    await lead.keyboard.press('Space');

    // "Add another item" shows one more empty item, keeping what was typed.
    await tabUntil(lead, (f) => f.tag === 'button' && f.text === 'Add another item', 'Add another item', { most: 200 });
    assert.equal((await pressToPost(lead, 'Enter', `**/staff/schools/${LEAD_SCHOOL.key}/meetings`)).status(), 200);
    assert.equal(await items(lead).count(), 4, 'another item is offered');
    assert.equal(await lead.locator('#item-0-said').inputValue(), 'More clubs at lunchtime, especially football and art');
    assert.equal(await lead.locator('#item-0-support').inputValue(), '40');
    assert.ok(await lead.locator('#item-0-priority').isChecked());
    assert.equal(await lead.locator('#pupils').inputValue(), '14');
    assert.ok(await lead.locator('#year-6').isChecked());
    assert.equal(await lead.locator('#item-3-said').count(), 1, 'the fourth item is there to fill in');
    await checkWidths(lead, 'schools-meeting-added');

    // The second item, then Record, by keyboard.
    await tabUntil(lead, (f) => f.id === 'item-1-said', 'what pupils said, of item 2', { most: 200 });
    await lead.keyboard.type('School dinners should have more choice and healthier food');
    await tabUntil(lead, (f) => f.id === 'item-1-support', 'the support of item 2');
    await lead.keyboard.type('60');
    await tabUntil(lead, (f) => f.tag === 'button' && f.text === 'Record the meeting', 'Record the meeting', { most: 200 });
    const recorded = new RegExp(`/staff/schools/${LEAD_SCHOOL.key}/meetings/[^/?]+\\?done=meeting-recorded$`);
    assert.equal((await pressToPost(lead, 'Space', recorded)).status(), 303, 'the meeting was recorded');
    const meetingURL = lead.url().split('?')[0];
    assert.match(await lead.getByRole('status').first().textContent(), /The meeting was recorded\. Heard suggested themes for each item/);
    assert.equal(await items(lead).count(), 3, 'the two items and one empty one');
    assert.equal(await lead.locator('#item-1-said').inputValue(), 'School dinners should have more choice and healthier food');

    // Heard's suggested themes, named on each item.
    const themes = (n) => lead.locator(`#item-${n}-themes > summary`);
    for (const n of [0, 1]) {
      assert.match(await themes(n).textContent(), /^Themes: suggested by Heard \((?!none\)).+\)$/, `item ${n + 1} has suggested themes`);
    }
    assert.match(await themes(0).textContent(), /Things to do/);
    assert.match(await themes(1).textContent(), /Health, food and sleep/);
    await checkWidths(lead, 'schools-meeting-recorded');

    // The lead corrects the second item's themes: opens them by keyboard,
    // takes Heard's off and chooses two.
    await lead.locator('#item-1-support').focus();
    await tabUntil(lead, (f) => f.tag === 'summary' && f.text.startsWith('Themes'), 'the themes of item 2', { most: 20 });
    await lead.keyboard.press('Enter');
    assert.ok(await lead.locator('#item-1-themes').evaluate((d) => d.open), 'Enter opens the themes');
    await checkWidths(lead, 'schools-meeting-themes-open');
    const item2Themes = lead.locator('#item-1-themes input[type=checkbox]');
    for (const box of await item2Themes.all()) await box.uncheck();
    await lead.locator('#item-1-theme-having_a_say').check();
    await lead.locator('#item-1-theme-environment').check();
    await lead.getByRole('button', { name: 'Save the meeting' }).click();
    await lead.waitForURL(`${meetingURL}?done=meeting-saved`);
    assert.match(await lead.getByRole('status').first().textContent(), /The meeting's record was saved\./);
    assert.equal(await themes(1).textContent(), 'Themes: chosen by you');
    assert.deepEqual(await lead.locator('#item-1-themes input:checked').evaluateAll((bs) => bs.map((b) => b.value)), ['having_a_say', 'environment']);
    assert.match(await themes(0).textContent(), /suggested by Heard/, 'the first item keeps Heard\'s suggestion');
    await checkWidths(lead, 'schools-meeting-saved');

    // A meeting with mistakes: each is named in the summary, linked to its field.
    await lead.goto(`/staff/schools/${LEAD_SCHOOL.key}/meetings/new`);
    await lead.locator('#pupils').fill('0');
    await lead.locator('#item-0-support').fill('7');
    await lead.locator('#item-1-said').fill('A quiet room to read at lunchtime');
    await lead.locator('#item-1-status').selectOption({ label: 'Not possible' });
    const [bad] = await Promise.all([
      lead.waitForResponse((r) => r.request().method() === 'POST'),
      lead.getByRole('button', { name: 'Record the meeting' }).click(),
    ]);
    assert.equal(bad.status(), 422);
    const summary = lead.locator('#error-summary');
    await summary.waitFor();
    assert.equal(await summary.getAttribute('role'), 'alert');
    assert.equal(await summary.locator('h2').textContent(), 'The meeting was not saved');
    const links = await summary.locator('a').evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href'), text: a.textContent })));
    assert.deepEqual(links.map((l) => l.href), ['#pupils', '#year_groups', '#item-0-said', '#item-1-note']);
    assert.match(links[0].text, /Pupils who took part must be a whole number from 1 to 2,000\./);
    assert.match(links[1].text, /Year groups choose at least one year group\./);
    assert.match(links[2].text, /^Item 1: what pupils said must say what pupils said\.$/);
    assert.match(links[3].text, /^Item 2: the school's note must say why it is not possible\.$/);
    for (const id of ['pupils', 'item-0-said', 'item-1-note']) {
      assert.equal(await lead.locator(`#${id}`).getAttribute('aria-invalid'), 'true', `${id} is marked wrong`);
      assert.equal(await lead.locator(`#${id}`).getAttribute('aria-describedby'), `${id}-error`, `${id} is described by its error`);
    }
    assert.equal(await lead.locator('#item-1-said').inputValue(), 'A quiet room to read at lunchtime', 'what was typed is kept');
    await checkWidths(lead, 'schools-meeting-errors');
    await summary.getByRole('link', { name: /^Item 2: the school's note/ }).click();
    assert.equal((await focused(lead)).id, 'item-1-note', 'the summary\'s link takes focus to the field');
    await lead.goto(`/staff/schools/${LEAD_SCHOOL.key}`);
    assert.equal(await meetingRows(lead).count(), demoMeetings + 1, 'the meeting with mistakes was not stored');

    // The import: the template to download, then a file full of mistakes.
    await lead.getByRole('link', { name: /Import a term's meetings/ }).click();
    await lead.waitForURL(`**/staff/schools/${LEAD_SCHOOL.key}/import`);
    await checkWidths(lead, 'schools-import');
    const template = await lead.request.get('/staff/schools/import-template.csv');
    assert.equal(template.status(), 200);
    assert.match(template.headers()['content-type'], /^text\/csv/);
    assert.ok((await template.text()).startsWith(HEADER), 'the template starts with the documented header');

    const mistakes = [
      HEADER,
      `${daysAgo(30)},lots,Year 5; Year 15,Better lunches,10,maybe,planned,,`,
      `${daysAgo(30)},,,,,,,,Things to do`,
      '31/02/2026,10,Year 6,Longer breaks,5,no,planned,,',
      `${daysAgo(29)},12,Year 4,A bigger library,12,no,not possible,,Flying`,
    ].join('\n');
    const refused = await importCSV(lead, 'mistakes.csv', mistakes);
    assert.equal(refused.status(), 422);
    const problems = lead.locator('#error-summary');
    assert.match(await problems.locator('h2').textContent(), /^Nothing was stored: the file has \d+ mistakes\./);
    const listed = await problems.locator('li').allTextContents();
    const count = Number((await problems.locator('h2').textContent()).match(/has (\d+) mistakes/)[1]);
    assert.equal(listed.length, count, 'every mistake is listed');
    for (const want of [
      /^Row 2, pupils: must be a whole number/, /^Row 2, year_groups: "Year 15" is not a year group/, /^Row 2, priority: must be yes or no/,
      /^Row 3, said: must say what pupils said/, /^Row 4, date: must be a date/, /^Row 5, themes: "Flying" is not a theme/,
    ]) {
      assert.ok(listed.some((l) => want.test(l)), `the list names ${want}:\n  ${listed.join('\n  ')}`);
    }
    const rows = listed.map((l) => Number(l.match(/^Row (\d+)/)?.[1]));
    assert.deepEqual(rows, [...rows].sort((a, b) => a - b), 'the mistakes are in the order of the rows');
    await checkWidths(lead, 'schools-import-errors');
    await lead.goto(`/staff/schools/${LEAD_SCHOOL.key}`);
    assert.equal(await meetingRows(lead).count(), demoMeetings + 1, 'nothing of the file was stored');

    // A good file: two meetings, one with its date as a UK spreadsheet writes it.
    const [y, m, d] = daysAgo(21).split('-');
    const good = [
      HEADER,
      `${daysAgo(28)},11,Year 5; Year 6,More books about animals in the library,22,yes,planned,The library will order some,`,
      `${daysAgo(28)},,,A water fountain in the playground,15,no,done,Fitted in the half-term holiday,physical_health`,
      `${d}/${m}/${y},9,Reception; Year 1,Longer play times,30,no,not possible,The school day cannot be longer,`,
    ].join('\n');
    await lead.goto(`/staff/schools/${LEAD_SCHOOL.key}/import`);
    assert.equal((await importCSV(lead, 'autumn.csv', good)).status(), 303);
    await lead.waitForURL(`**/staff/schools/${LEAD_SCHOOL.key}?done=imported`);
    assert.match(await lead.getByRole('status').first().textContent(), /The file was imported: its meetings are below\./);
    assert.equal(await meetingRows(lead).count(), demoMeetings + 3, 'the file\'s two meetings are stored');
    await checkWidths(lead, 'schools-lead-imported');

    // The pupil survey: started, with its link and a QR code holding it.
    await lead.getByRole('button', { name: 'Start this year\'s pupil survey' }).click();
    await lead.waitForURL(`**/staff/schools/${LEAD_SCHOOL.key}?done=school-survey#survey`);
    assert.match(await lead.getByRole('status').first().textContent(), /The pupil survey is open\. Share its link or QR code with pupils\./);
    const survey = lead.getByRole('region', { name: 'Pupil survey' });
    const link = await survey.locator('a.break-anywhere').getAttribute('href');
    assert.match(link, /\/s\/[a-z0-9-]+$/, 'the survey has a link');
    assert.match(link, new RegExp(LEAD_SCHOOL.key), 'the link is the school\'s own');
    assert.equal(await survey.locator('a.break-anywhere').textContent(), link, 'the link is written out');
    assert.match(await survey.textContent(), /Open/);
    const qr = survey.locator('.survey-qr svg');
    assert.equal(await qr.count(), 1, 'the survey has a QR code');
    assert.deepEqual(await readQR(await qr.screenshot()), [link], 'the QR code holds the link');
    await checkWidths(lead, 'schools-lead-survey');
    const pupils = await lead.request.get(new URL(link).pathname);
    assert.equal(pupils.status(), 200, 'pupils can open the survey');

    // The lead closes the survey, and opens it again.
    await survey.getByRole('button', { name: 'Close the survey' }).click();
    await lead.waitForURL(`**/staff/schools/${LEAD_SCHOOL.key}?done=closed#survey`);
    assert.match(await lead.getByRole('status').first().textContent(), /The survey is closed/);
    assert.equal(await survey.locator('.badge').textContent(), 'Closed');
    await survey.getByRole('button', { name: 'Open the survey again' }).click();
    await lead.waitForURL(`**/staff/schools/${LEAD_SCHOOL.key}?done=opened#survey`);
    assert.match(await lead.getByRole('status').first().textContent(), /The survey is open/);
    assert.equal(await survey.locator('.badge').textContent(), 'Open');

    // Another school's pages are not there for this lead.
    for (const href of [`/staff/schools/${OTHER_SCHOOL}`, `/staff/schools/${OTHER_SCHOOL}/meetings/new`, `/staff/schools/${OTHER_SCHOOL}/import`,
      `${meetingURL.replace(LEAD_SCHOOL.key, OTHER_SCHOOL)}`]) {
      const res = await lead.goto(href);
      assert.equal(res.status(), 404, href);
      assert.ok(!(await lead.content()).includes('Meadow Lane'), `${href} names the other school`);
    }
    await checkWidths(lead, 'schools-lead-other-school');
    // Nor the pages of every school's figures.
    assert.equal((await lead.goto('/staff/areas')).status(), 403);
  });
});

describe('the areas page', () => {
  test('an analyst reads the areas, with the hidden areas\' note, themes and items, term by term', SLOW, async (t) => {
    const analyst = await signIn(t, 'analyst');
    await analyst.goto('/staff/schools');
    const schools = analyst.getByRole('table', { name: /Schools, with their meetings/ });
    assert.equal(await schools.locator('tbody tr').count(), 9, 'an analyst sees every school');
    await checkWidths(analyst, 'schools-analyst-list');

    await analyst.locator('nav.nav a', { hasText: 'Areas' }).click();
    await analyst.waitForURL('**/staff/areas');
    assert.equal(await analyst.locator('h1').textContent(), 'School councils by area');
    const areas = analyst.getByRole('table', { name: 'Schools, pupils and items, by area' });
    const row = (name) => areas.getByRole('row', { name: new RegExp(`^${name}`) });
    assert.match(await row('North').textContent(), /4 of 4/);
    assert.match(await row('North').textContent(), /\d+\s*\d+/, 'North shows its figures');
    // South has two schools: its figures are only in the borough's, and
    // Central's with them, or South's could be worked out.
    assert.match(await row('South').textContent(), /2 of 2\s*Fewer than 3 schools reported/);
    assert.match(await row('Central').textContent(), /Shown with the borough's only/);
    assert.match(await row('The borough').textContent(), /9 of 9/);
    const themes = analyst.getByRole('table', { name: /Items by theme/ });
    assert.ok(await themes.locator('tbody tr').count() > 0, 'themes are listed');
    assert.deepEqual(await themes.locator('thead th').allTextContents(), ['Theme', 'The borough', 'North', 'Central', 'South']);
    const top = analyst.getByRole('heading', { name: 'Across the borough' }).locator('xpath=following-sibling::ol[1]/li');
    assert.ok(await top.count() > 0, 'the items with most support are listed');
    assert.match(await top.first().textContent(), /Supported by \d+ pupils/);
    await checkWidths(analyst, 'schools-areas');

    // The PDF of the same.
    const pdf = await analyst.request.get(await analyst.getByRole('link', { name: /Download as a PDF/ }).getAttribute('href'));
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');

    // Last school year's summer term, with the form.
    const now = new Date();
    const thisYear = now.getUTCMonth() >= 8 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
    const lastYear = thisYear - 1;
    await analyst.getByLabel('School year', { exact: true }).selectOption(String(lastYear));
    await analyst.getByLabel('Term', { exact: true }).selectOption({ label: 'Summer term' });
    await analyst.getByRole('button', { name: 'Show' }).click();
    await analyst.waitForURL(`**/staff/areas?year=${lastYear}&term=summer`);
    assert.equal(await analyst.getByLabel('School year', { exact: true }).inputValue(), String(lastYear));
    assert.equal(await analyst.getByLabel('Term', { exact: true }).inputValue(), 'summer');
    assert.match(await analyst.locator('main h2').first().textContent(), /Summer/);
    assert.match(await analyst.locator('main').textContent(), new RegExp(`From \\d+ [A-Z][a-z]+ ${lastYear + 1} to`));
    assert.equal(await analyst.getByRole('link', { name: /Download as a PDF/ }).getAttribute('href'), `/staff/areas/report.pdf?year=${lastYear}&term=summer`);
    await checkWidths(analyst, 'schools-areas-summer');

    // This whole school year.
    await analyst.getByLabel('School year', { exact: true }).selectOption(String(thisYear));
    await analyst.getByLabel('Term', { exact: true }).selectOption('all');
    await analyst.getByRole('button', { name: 'Show' }).click();
    await analyst.waitForURL(`**/staff/areas?year=${thisYear}&term=all`);
    assert.match(await row('North').textContent(), /4 of 4/);
    await checkWidths(analyst, 'schools-areas-year');
  });

  test('a board member reads the areas page, but no school\'s records', SLOW, async (t) => {
    const board = await signIn(t, 'board');
    await board.locator('nav.nav a', { hasText: 'Areas' }).click();
    await board.waitForURL('**/staff/areas');
    assert.ok(await board.getByRole('table', { name: 'Schools, pupils and items, by area' }).isVisible());
    await checkWidths(board, 'schools-board-areas');
    assert.equal(await board.locator('nav.nav a', { hasText: 'School councils' }).count(), 0, 'no School councils in the board\'s navigation');
    for (const href of ['/staff/schools', `/staff/schools/${LEAD_SCHOOL.key}`, `/staff/schools/${LEAD_SCHOOL.key}/meetings/new`]) {
      const res = await board.goto(href);
      assert.equal(res.status(), 403, href);
    }
    await checkWidths(board, 'schools-board-refused');
  });
});

test('without JavaScript, the meeting form still records a meeting', SLOW, async (t) => {
  const school = 'hillside-academy';
  const page = await signIn(t, 'admin', { javaScriptEnabled: false });
  await page.goto(`/staff/schools/${school}`);
  const before = await meetingRows(page).count();
  await page.getByRole('link', { name: 'Record a meeting' }).click();
  await page.waitForURL(`**/staff/schools/${school}/meetings/new`);
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await checkPage(page, 'schools-meeting-new-no-js');
  }
  await page.getByLabel('How many pupils took part').fill('20');
  await page.getByLabel('Year 9').check();
  await page.getByLabel('Year 10').check();
  await page.locator('#item-0-said').fill('Lockers for our bags so we do not carry them all day');
  await page.locator('#item-0-support').fill('45');
  await page.locator('#item-0-status').selectOption({ label: 'We will do this' });
  await page.getByRole('button', { name: 'Add another item' }).click();
  await page.waitForLoadState('load');
  assert.equal(await items(page).count(), 4);
  assert.equal(await page.locator('#item-0-said').inputValue(), 'Lockers for our bags so we do not carry them all day');
  await page.locator('#item-3-said').fill('A quiet place to revise before exams');
  await page.locator('#item-3-support').fill('18');
  // The themes, in their <details>, open without JavaScript too.
  await page.locator('#item-3-themes > summary').click();
  await page.locator('#item-3-theme-education').check();
  await page.getByRole('button', { name: 'Record the meeting' }).click();
  await page.waitForURL(/\/meetings\/[^/?]+\?done=meeting-recorded$/);
  assert.equal(await items(page).count(), 3, 'two items and one empty one');
  assert.equal(await page.locator('#item-1-said').inputValue(), 'A quiet place to revise before exams');
  assert.equal(await page.locator('#item-1-themes > summary').textContent(), 'Themes: chosen by you');
  assert.ok(await page.locator('#item-1-theme-education').isChecked());
  assert.equal(await page.locator('#item-0-status').inputValue(), 'planned');
  await checkPage(page, 'schools-meeting-recorded-no-js');
  await page.goto(`/staff/schools/${school}`);
  assert.equal(await meetingRows(page).count(), before + 1);
});
