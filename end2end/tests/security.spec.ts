import { Page, Response, test as plainTest } from '@playwright/test';
import { expect, open, signedIn, ADMIN, test } from './fixtures';

/** Signs in on the sign-in page the portal has sent the browser to. */
async function signInHere(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('every page works under the Content-Security-Policy, with no console error', async ({ page }) => {
  await signedIn(page);
  for (const path of ['/users', '/groups', '/configurations', '/admin/identity/provisioning/entra',
    '/admin/identity/provisioning-log', '/admin/identity/legacy-entra', '/admin/system/attributes', '/audit', '/account']) {
    const response = await page.goto(path);
    const csp = response!.headers()['content-security-policy'];
    expect(csp, path).toContain("script-src 'self' 'nonce-");
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(response!.headers()['x-frame-options'], path).toBe('DENY');
    await expect(page.locator('body[data-hydrated="true"]'), path).toHaveCount(1);
  }
  // A click after hydration reaches the server through a server function (a POST under the CSP).
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await expect(page).toHaveURL(/\/users$/);
});

test('the bundle arrives compressed, under hashed names the browser may keep for good', async ({ page }) => {
  const assets = new Map<string, Response>();
  page.on('response', (response) => {
    const path = new URL(response.url()).pathname;
    if (path.startsWith('/pkg/')) assets.set(path, response);
  });
  await open(page, '/login');
  const names = [...assets.keys()].sort();
  const directories = new Set(names.map((name) => name.match(/^\/pkg\/([0-9a-f]{16})\//)?.[1]));
  expect([...directories], 'one hashed bundle directory').toEqual([expect.stringMatching(/^[0-9a-f]{16}$/)]);
  const files = names.map((name) => name.split('/').pop());
  for (const file of ['provisio.css', 'provisio.js', 'provisio_bg.wasm', '__wasm_split.js']) expect(files).toContain(file);
  // Sign-in's own code came with its section, preloaded beside the main module; no other
  // section was fetched.
  expect(files.filter((file) => file!.startsWith('split_'))).toEqual([expect.stringMatching(/^split_entry_pages_\d+\.wasm$/)]);
  const preloaded = await page.locator('link[rel="preload"][as="fetch"]').evaluateAll((links) => links.map((link) => (link as HTMLLinkElement).href));
  expect(preloaded.some((href) => /\/split_entry_pages_\d+\.wasm$/.test(href)), `preloads: ${preloaded}`).toBe(true);
  for (const [path, response] of assets) {
    const headers = await response.allHeaders();
    // Chromium asks for br over https only; over plain http it gets gzip (a tiny chunk neither).
    if ((await response.body()).length > 1024) expect(['br', 'gzip'], path).toContain(headers['content-encoding']);
    expect(headers['cache-control'], path).toBe('public, max-age=31536000, immutable');
    expect(headers['vary'], path).toBe('accept-encoding');
  }
});

test('a lapsed session sends the admin to sign-in and back to the page', async ({ page, context }) => {
  await signedIn(page);
  await open(page, '/groups');
  await context.clearCookies();

  // A server function called by client-side navigation now answers 401.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit Trail' }).click();
  await expect(page).toHaveURL(/\/login\?next=\/audit$/);
  await signInHere(page);
  await expect(page).toHaveURL(/\/audit$/);

  // A page loaded with no session does the same. The page's own requests must be answered
  // first: a late answer would set the session cookie again after it was cleared.
  await page.waitForLoadState('networkidle');
  await context.clearCookies();
  await page.goto('/admin/system/attributes');
  await expect(page).toHaveURL(/\/login\?next=\/admin\/system\/attributes$/);
  await signInHere(page);
  await expect(page).toHaveURL(/\/admin\/system\/attributes$/);
});

// Browser errors are the point here (a chunk that fails to load), so this test runs without the
// fixture that fails on them.
plainTest('a tab left open across a deploy loads the page afresh when its section chunk is gone', async ({ page }) => {
  await signedIn(page);
  // The deploy replaced the bundle: the server no longer has this tab's chunk for the
  // administration pages, the Audit Trail among them (once; the fresh load then finds it).
  let refused = 0;
  await page.route(/\/pkg\/[0-9a-f]{16}\/split_admin_pages_\d+\.wasm$/, (route) =>
    refused++ === 0 ? route.fulfill({ status: 404, body: 'gone' }) : route.continue(),
  );
  const fullLoads: string[] = [];
  page.on('load', () => fullLoads.push(new URL(page.url()).pathname));

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit Trail' }).click();
  await expect.poll(() => fullLoads).toEqual(['/audit']);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Audit Trail');
  expect(refused).toBe(2);
});

test('each section of pages is fetched when one of its pages is first shown', async ({ page }) => {
  const sections: string[] = [];
  page.on('response', (response) => {
    const file = new URL(response.url()).pathname.split('/').pop()!;
    if (file.startsWith('split_')) sections.push(file.replace(/_\d+\.wasm$/, ''));
  });
  await signedIn(page);
  expect(sections).toEqual(['split_entry_pages', 'split_directory_pages']);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit Trail' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Audit Trail');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'User Groups' }).click();
  await expect(page).toHaveURL(/\/groups$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('User Groups');
  expect(sections).toEqual(['split_entry_pages', 'split_directory_pages', 'split_admin_pages']);
});
