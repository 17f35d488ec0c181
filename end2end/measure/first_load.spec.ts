import { execFileSync } from 'node:child_process';
import { Browser, CDPSession, expect, Page, test } from '@playwright/test';
import { BINARY } from '../global-setup';

/**
 * First portal load to hydrated, on a cold cache (a fresh browser context each time), over
 * loopback and over a slower link. Prints the median of several loads and what went over the
 * wire: the sign-in page, and the IdP settings page (signed in), the portal's heaviest.
 */
const PAGES = [
  { path: '/login', signedIn: false },
  { path: '/admin/identity/provisioning/okta', signedIn: true },
];
const ADMIN = { username: 'measure.admin', password: 'a long measuring passphrase' };
const LOADS = 7;
const LINKS: { name: string; conditions?: { latency: number; downloadThroughput: number; uploadThroughput: number } }[] = [
  { name: 'loopback' },
  // A modest office link: 20 Mbit/s down, 5 up, 40 ms round trips.
  { name: '20 Mbit/s, 40 ms RTT', conditions: { latency: 40, downloadThroughput: (20e6 / 8), uploadThroughput: (5e6 / 8) } },
];

type Load = { html: number; domContentLoaded: number; wasmLoaded: number; hydrated: number; transferred: number; wasmTransferred: number; wasmFiles: number };

async function loadOnce(page: Page, cdp: CDPSession, path: string): Promise<Load> {
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await page.goto(path);
  await expect(page).toHaveURL(new RegExp(`${path}$`));
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  return page.evaluate(() => {
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    // Every wasm file the page fetched (the bundle is one today; a split bundle would be more).
    const wasm = resources.filter((entry) => entry.name.endsWith('.wasm'));
    return {
      html: navigation.responseEnd,
      domContentLoaded: navigation.domContentLoadedEventEnd,
      wasmLoaded: Math.max(...wasm.map((entry) => entry.responseEnd)),
      hydrated: (window as unknown as { __hydratedAt: number }).__hydratedAt,
      transferred: navigation.transferSize + resources.reduce((sum, entry) => sum + entry.transferSize, 0),
      wasmTransferred: wasm.reduce((sum, entry) => sum + entry.transferSize, 0),
      wasmFiles: wasm.length,
    };
  });
}

/** An administrator made with the CLI, so /login shows sign-in rather than first-run setup. */
test.beforeAll(() => {
  try {
    execFileSync(BINARY, ['admin', 'create', '--username', ADMIN.username, '--database', process.env.PROVISIO_DATABASE!], {
      input: `${ADMIN.password}\n`,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
  } catch {
    // Made by an earlier run against the same server.
  }
});

/** Signs in once and returns the session, for fresh contexts. */
async function signedInState(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/login');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/users$/);
  const state = await context.storageState();
  await context.close();
  return state;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

for (const { path, signedIn } of PAGES) for (const link of LINKS) {
  test(`first load of ${path} to hydrated, cold cache, ${link.name}`, async ({ browser }) => {
    const storageState = signedIn ? await signedInState(browser) : undefined;
    const loads: Load[] = [];
    for (let i = 0; i < LOADS; i++) {
      const context = await browser.newContext({ storageState });
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
      loads.push(await loadOnce(page, cdp, path));
      await context.close();
    }
    const ms = (pick: (load: Load) => number) => `${median(loads.map(pick)).toFixed(0)} ms`;
    const kb = (pick: (load: Load) => number) => `${(median(loads.map(pick)) / 1000).toFixed(0)} KB`;
    console.log(
      `portal first load of ${path} (${link.name}, cold cache, median of ${LOADS}): HTML ${ms((l) => l.html)}, ` +
        `DOMContentLoaded ${ms((l) => l.domContentLoaded)}, wasm downloaded ${ms((l) => l.wasmLoaded)}, ` +
        `hydrated ${ms((l) => l.hydrated)}; transferred ${kb((l) => l.transferred)} ` +
        `(wasm ${kb((l) => l.wasmTransferred)} in ${median(loads.map((l) => l.wasmFiles))} files)`,
    );
    expect(loads.every((load) => load.hydrated > 0)).toBe(true);
  });
}
