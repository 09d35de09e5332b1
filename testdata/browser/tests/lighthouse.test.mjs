// Lighthouse, with its mobile profile (a mid-range phone on a slow 4G
// connection, simulated), on a survey page: performance at least 95,
// accessibility 100, best practices at least 95. The whole report is kept
// as artifacts/lighthouse.json.
//
// Lighthouse 12.8 (pinned in package.json: 13 needs Node.js 22) runs from
// its command line, and starts Debian's Chromium itself, with a fresh
// profile, as a phone on its first visit.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ARTIFACTS, useHeard } from './helpers.mjs';

const heard = useHeard();
const PAGE = '/s/cared-for-2026/11-18';
const LIGHTHOUSE = fileURLToPath(new URL('../node_modules/lighthouse/cli/index.js', import.meta.url));

/** The lowest score each category may have, out of 100. */
const WANT = { performance: 95, accessibility: 100, 'best-practices': 95 };

function lighthouse(url, output) {
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [LIGHTHOUSE, url, `--chrome-flags=${flags.join(' ')}`,
      `--only-categories=${Object.keys(WANT).join(',')}`, '--output=json', `--output-path=${output}`, '--quiet'],
    { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM ?? '/usr/bin/chromium' }, maxBuffer: 64 << 20 },
    (err, stdout, stderr) => {
      if (err) reject(new Error(`lighthouse failed: ${err.message}\n${stdout}\n${stderr}`));
      else resolve();
    });
  });
}

test(`Lighthouse's mobile profile on ${PAGE}: performance ${WANT.performance}+, accessibility ${WANT.accessibility}, best practices ${WANT['best-practices']}+`,
  { timeout: 180_000 }, async (t) => {
    await mkdir(ARTIFACTS, { recursive: true });
    const output = join(ARTIFACTS, 'lighthouse.json');
    await lighthouse(new URL(PAGE, heard.server.url).href, output);
    const report = JSON.parse(await readFile(output, 'utf8'));
    assert.equal(report.configSettings.formFactor, 'mobile', 'the mobile profile');
    assert.equal(report.runtimeError, undefined, `Lighthouse could not run: ${JSON.stringify(report.runtimeError)}`);

    const scores = Object.fromEntries(Object.keys(WANT).map((k) => [k, Math.round(report.categories[k].score * 100)]));
    const metrics = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index']
      .map((id) => `${report.audits[id].title} ${report.audits[id].displayValue}`);
    t.diagnostic(`Lighthouse ${report.lighthouseVersion}, ${report.configSettings.formFactor}: ` +
      Object.entries(scores).map(([k, v]) => `${k} ${v}`).join(', '));
    t.diagnostic(metrics.join('; '));
    for (const [category, want] of Object.entries(WANT)) {
      // What costs points, to make a failure easy to act on.
      const lost = report.categories[category].auditRefs
        .filter((ref) => ref.weight > 0 && report.audits[ref.id].score !== null && report.audits[ref.id].score < 1)
        .map((ref) => `${ref.id} (${report.audits[ref.id].score}${report.audits[ref.id].displayValue ? `, ${report.audits[ref.id].displayValue}` : ''})`);
      assert.ok(scores[category] >= want, `${category} scored ${scores[category]}, below ${want}; it lost points on: ${lost.join(', ')}`);
    }
  });
