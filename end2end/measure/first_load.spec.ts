import { CDPSession, expect, Page, test } from '@playwright/test';

/**
 * First portal load to hydrated, on a cold cache (a fresh browser context each time), over
 * loopback and over a slower link. Prints the median of several loads and what went over the
 * wire. The sign-in page is measured: every page loads the same bundle.
 */
const LOADS = 7;
const LINKS: { name: string; conditions?: { latency: number; downloadThroughput: number; uploadThroughput: number } }[] = [
  { name: 'loopback' },
  // A modest office link: 20 Mbit/s down, 5 up, 40 ms round trips.
  { name: '20 Mbit/s, 40 ms RTT', conditions: { latency: 40, downloadThroughput: (20e6 / 8), uploadThroughput: (5e6 / 8) } },
];

type Load = { html: number; domContentLoaded: number; wasmLoaded: number; hydrated: number; transferred: number; wasmTransferred: number };

async function loadOnce(page: Page, cdp: CDPSession): Promise<Load> {
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await page.goto('/login');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  return page.evaluate(() => {
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const wasm = resources.find((entry) => entry.name.endsWith('.wasm'));
    return {
      html: navigation.responseEnd,
      domContentLoaded: navigation.domContentLoadedEventEnd,
      wasmLoaded: wasm?.responseEnd ?? NaN,
      hydrated: (window as unknown as { __hydratedAt: number }).__hydratedAt,
      transferred: navigation.transferSize + resources.reduce((sum, entry) => sum + entry.transferSize, 0),
      wasmTransferred: wasm?.transferSize ?? NaN,
    };
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

for (const link of LINKS) {
  test(`first load to hydrated, cold cache, ${link.name}`, async ({ browser }) => {
    const loads: Load[] = [];
    for (let i = 0; i < LOADS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      // When the app marks <body data-hydrated>, to the frame.
      await page.addInitScript(() => {
        new MutationObserver((_, observer) => {
          if (document.body?.dataset.hydrated === 'true') {
            (window as unknown as { __hydratedAt: number }).__hydratedAt = performance.now();
            observer.disconnect();
          }
        }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
      });
      const cdp = await context.newCDPSession(page);
      if (link.conditions) await cdp.send('Network.emulateNetworkConditions', { offline: false, ...link.conditions });
      loads.push(await loadOnce(page, cdp));
      await context.close();
    }
    const ms = (pick: (load: Load) => number) => `${median(loads.map(pick)).toFixed(0)} ms`;
    const kb = (pick: (load: Load) => number) => `${(median(loads.map(pick)) / 1000).toFixed(0)} KB`;
    console.log(
      `portal first load (${link.name}, cold cache, median of ${LOADS}): HTML ${ms((l) => l.html)}, ` +
        `DOMContentLoaded ${ms((l) => l.domContentLoaded)}, wasm downloaded ${ms((l) => l.wasmLoaded)}, ` +
        `hydrated ${ms((l) => l.hydrated)}; transferred ${kb((l) => l.transferred)} (wasm ${kb((l) => l.wasmTransferred)})`,
    );
    expect(loads.every((load) => load.hydrated > 0)).toBe(true);
  });
}
