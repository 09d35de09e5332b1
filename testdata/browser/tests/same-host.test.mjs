// Nothing a young person opens sends a request to any host but Heard's own:
// no fonts, scripts, analytics or images from elsewhere, which would tell
// another company who is answering, and would fail on a school's filtered
// network.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_TIMEOUT, answer, assertSameHost, send, useHeard } from './helpers.mjs';

const heard = useHeard();

test('every page and what it loads comes from the server alone', TEST_TIMEOUT, async (t) => {
  const page = await heard.open(t, { scripts: false });
  for (const path of ['/', '/help', '/s/cared-for-2026', '/s/care-leavers-2026', '/s/school-council-2026',
    '/s/cared-for-2026/4-7', '/s/cared-for-2026/8-11', '/s/care-leavers-2026/16-25', '/s/school-council-2026/pupils',
    '/s/no-such-survey']) {
    await page.goto(path, { waitUntil: 'networkidle' });
  }
  await page.goto('/s/cared-for-2026/11-18', { waitUntil: 'networkidle' });
  await answer(page, { good_text: 'x'.repeat(2001) });
  assert.equal((await send(page)).status(), 422);
  await page.waitForLoadState('networkidle');
  await answer(page, { good_text: 'Going to the seaside.', area: 'south' });
  assert.equal((await send(page)).status(), 201);
  await page.waitForLoadState('networkidle');

  // The listener saw the page's own requests: the pages, the CSS and the icon.
  const origin = new URL(heard.server.url).origin;
  const seen = page.requested.map((u) => new URL(u).pathname);
  assert.ok(seen.some((p) => /^\/static\/heard\.[0-9a-f]+\.css$/.test(p)), `the stylesheet was requested: ${seen.join(' ')}`);
  assert.ok(page.requested.every((u) => u.startsWith(origin) || /^(data|blob|about):/.test(u)));
  assertSameHost(page);
});

test('the pages forbid loading from other hosts (Content-Security-Policy)', TEST_TIMEOUT, async (t) => {
  const page = await heard.open(t);
  for (const path of ['/', '/help', '/s/cared-for-2026', '/s/cared-for-2026/11-18', '/s/no-such-survey']) {
    const res = await page.goto(path);
    const csp = (await res.allHeaders())['content-security-policy'] ?? '';
    assert.match(csp, /default-src 'none'/, `${path}: ${csp}`);
    assert.doesNotMatch(csp, /https?:|\*/, `${path} allows another host: ${csp}`);
  }
  assertSameHost(page);
});
