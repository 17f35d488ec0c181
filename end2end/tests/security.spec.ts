import { Page, Response } from '@playwright/test';
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
  expect(names).toEqual([
    expect.stringMatching(/^\/pkg\/provisio\.[0-9a-f]{16}\.css$/),
    expect.stringMatching(/^\/pkg\/provisio\.[0-9a-f]{16}\.js$/),
    expect.stringMatching(/^\/pkg\/provisio\.[0-9a-f]{16}_bg\.wasm$/),
  ]);
  for (const [path, response] of assets) {
    const headers = await response.allHeaders();
    // Chromium asks for br over https only; over plain http it gets gzip.
    expect(['br', 'gzip'], path).toContain(headers['content-encoding']);
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
