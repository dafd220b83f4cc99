import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { renderTraceHtml } from './trace-html.ts';
import { sampleTrace } from './trace-sample.ts';

/**
 * CI's check that a trace page really renders in a browser (happy-dom in `npm test` has no
 * layout): opens the sample run's page in Debian's headless Chromium and counts the node lanes and
 * message arrows that have a visible size on screen, then zooms and checks the arrows moved.
 * Run by .ci/run: `node --import tsx checker/sim/trace-browser-check.ts`; exit 0 when it holds.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Measured { lanes: number; arrows: number; labels: string[]; firstX2: number; width: number }

/** Lanes and arrows with a size on screen, the lane labels, and where the first arrow ends. */
const MEASURE = `(() => {
  const visible = (el) => { const b = el.getBoundingClientRect(); return b.width > 0 || b.height > 0; };
  return {
    lanes: [...document.querySelectorAll('.lane')].filter((g) => visible(g.querySelector('line'))).length,
    arrows: [...document.querySelectorAll('.msg line')].filter(visible).length,
    labels: [...document.querySelectorAll('.lane-label')].map((t) => t.textContent),
    firstX2: Number(document.querySelector('.msg line').getAttribute('x2')),
    width: document.getElementById('timeline').getBoundingClientRect().width,
  };
})()`;

async function main(): Promise<number> {
  const trace = sampleTrace();
  const expectedMessages = trace.events.filter((e) => e.kind === 'deliver' || e.kind === 'drop').length;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trace-check-'));
  const page = path.join(dir, 'trace.html');
  fs.writeFileSync(page, renderTraceHtml(trace, { title: 'browser check', details: ['the sample run'] }));
  // A persistent context is how Playwright takes a --user-data-dir: a fresh one, deleted afterwards.
  const browser = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1600, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const problems: string[] = [];
  try {
    const tab = await browser.newPage();
    const requests: string[] = [];
    tab.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    await tab.goto(pathToFileURL(page).href);
    // Passed as source text: the TypeScript loader would otherwise wrap functions in helpers the page lacks.
    const seen = await tab.evaluate<Measured>(MEASURE);
    await tab.click('#zoom-in');
    const zoomed = await tab.evaluate<Measured>(MEASURE);
    if (seen.lanes !== trace.nodes.length) problems.push(`expected ${trace.nodes.length} visible node lanes, saw ${seen.lanes}`);
    if (seen.arrows !== expectedMessages) problems.push(`expected ${expectedMessages} visible message arrows, saw ${seen.arrows}`);
    if (seen.labels.join(',') !== trace.nodes.map((n) => `node ${n}`).join(',')) problems.push(`lane labels were ${seen.labels.join(', ')}`);
    if (!(zoomed.width > seen.width && zoomed.firstX2 > seen.firstX2)) problems.push(`zooming in did not widen the timeline (${seen.width} -> ${zoomed.width} px)`);
    if (errors.length > 0) problems.push(`the page threw: ${errors.join('; ')}`);
    if (requests.length > 0) problems.push(`the page made network requests: ${requests.join(', ')}`);
    if (problems.length === 0) console.log(`trace page renders in Chromium: ${seen.lanes} node lanes, ${seen.arrows} message arrows, zoom works`);
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  for (const p of problems) console.error(`trace browser check failed: ${p}`);
  return problems.length === 0 ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (error: unknown) => {
  console.error(`trace browser check failed: ${(error as Error).message}`);
  process.exitCode = 1;
});
