/**
 * The HTML report as a reader meets it: opened in headless Chromium with every network request refused,
 * each chart must render (one <svg> or <canvas> in its container) with no console error, and a
 * screenshot is kept beside the report.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartsOf } from '../../src/report/blocks.ts';
import { loadResults } from '../../src/report/load.ts';
import { buildReport } from '../../src/report/model.ts';
import { writeReport } from '../../src/report/write.ts';
import { chromiumPath } from '../helpers/binaries.ts';
import { replayFolder, topologyFolder } from './fixtures.ts';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function openReport(
  browser: Browser,
  dir: string,
): Promise<{ rendered: Record<string, number>; errors: string[]; blocked: string[]; sorted: string[][] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  try {
    const errors: string[] = [];
    const blocked: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(join(dir, 'report.html')).href);
    const ids = chartsOf(buildReport(loadResults(dir))).map((c) => c.id);
    // A string, so the page's DOM types stay out of this Node-side module.
    const ready = `${JSON.stringify(ids)}.every((id) => document.querySelector('#chart-' + id + ' svg, #chart-' + id + ' canvas') !== null)`;
    await page.waitForFunction(ready, undefined, { timeout: 20_000 });
    const rendered: Record<string, number> = {};
    for (const id of ids)
      rendered[id] = await page.locator(`#chart-${id} > svg, #chart-${id} > canvas`).count();
    // Sort the first table by its last column, then the other way round.
    const table = page.locator('table.sortable').first();
    const sorted: string[][] = [];
    for (let i = 0; i < 2; i++) {
      await table.locator('th').last().click();
      sorted.push(
        await table
          .locator('tbody tr td:last-child')
          .evaluateAll((tds) => tds.map((td) => td.getAttribute('data-sort') ?? '')),
      );
    }
    await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
    return { rendered, errors, blocked, sorted };
  } finally {
    await page.close();
  }
}

describe('report.html in a browser', () => {
  const exe = chromiumPath();
  let browser: Browser;
  beforeAll(async () => {
    if (exe !== null) browser = await chromium.launch({ executablePath: exe, args: FLAGS });
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
  });
  it.skipIf(exe === null)(
    'renders every chart of a topology report offline, without console errors',
    async () => {
      const dir = topologyFolder({ seeds: [1, 2, 3, 4, 5], ideal: true, faults: true });
      await writeReport(dir, { formats: ['html'] });
      const r = await openReport(browser, dir);
      expect(Object.keys(r.rendered).length).toBe(9);
      for (const [id, n] of Object.entries(r.rendered)) expect(n, id).toBe(1);
      expect(r.errors).toEqual([]);
      expect(r.blocked).toEqual([]);
      expect(existsSync(join(dir, 'report.png'))).toBe(true);
    },
    60_000,
  );

  it.skipIf(exe === null)(
    'renders the faceted miss-ratio curves of a replay report',
    async () => {
      const dir = await replayFolder([1, 2]);
      await writeReport(dir, { formats: ['html'] });
      const r = await openReport(browser, dir);
      expect(r.rendered).toEqual({ 'q1-missratio': 1 });
      expect(r.errors).toEqual([]);
    },
    60_000,
  );
});
