import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { APIRequestContext, expect, Locator, Page, test as base } from '@playwright/test';
import { BINARY } from '../global-setup';

export const ADMIN = { username: 'ann.admin', password: 'correct horse battery staple' };

/**
 * Every test fails on an uncaught browser error (a failed hydration shows up here) and on any
 * Content-Security-Policy violation. Refusals the portal shows (4xx answers of server functions)
 * are expected; Chromium logs each of them as a failed resource.
 */
export const test = base.extend<{ page: Page }>({
  page: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/status of (40[0134]|409|500)/.test(message.text())) errors.push(message.text());
    });
    // Chromium also logs violations to the console; this names the directive and what it blocked.
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (event) =>
        console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline code'}`),
      ),
    );
    await use(page);
    expect(errors, 'browser errors').toEqual([]);
  },
});
export { expect };

/** Loads a page and waits until the WASM bundle has hydrated it (clicks before that do nothing). */
export async function open(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
}

/**
 * The request-log entries answered with `status`, matched on the status itself: an entry's other
 * text (a generated id, the body) may hold the same three digits.
 */
export function withStatus(entries: Locator, status: number): Locator {
  return entries.filter({ has: entries.page().locator('.status').getByText(String(status), { exact: true }) });
}

/** Opens an IdP's settings the way the help pages say: "Edit Settings". */
export async function editSettings(page: Page) {
  await page.getByRole('button', { name: 'Edit Settings' }).click();
  await expect(page.getByRole('form', { name: 'Provisioning settings' })).toBeVisible();
}

/** Submits the sign-in form; see `signedIn` to also wait until it has worked. */
export async function signIn(page: Page, username = ADMIN.username, password = ADMIN.password) {
  await open(page, '/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in as the admin and waits for the Users page, so the session cookie is set. */
export async function signedIn(page: Page) {
  await signIn(page);
  await expect(page).toHaveURL(/\/users$/);
  await expect(page.locator('.who')).toHaveText(`Signed in as ${ADMIN.username}`);
}

/** `provisio token create`, against the test server's database. */
export function createTokenWithCli(idp: 'entra' | 'okta'): string {
  const out = execFileSync(BINARY, ['token', 'create', '--idp', idp, '--database', process.env.PROVISIO_DATABASE!], {
    encoding: 'utf8',
  });
  return out.split('\n')[1].trim();
}

/** The messages the test SMTP server has received, as raw RFC 5322 text. */
export function receivedMail(): string[] {
  const inbox = join(process.env.PROVISIO_MAILDIR!, 'new');
  return existsSync(inbox) ? readdirSync(inbox).map((name) => readFileSync(join(inbox, name), 'utf8')) : [];
}

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:ivanti:2.0:User';

/** One CLI-made Entra token for every spec, kept beside the database: Playwright starts a new
 *  worker after a failed test, and a second token per worker would soon pass the limit of two. */
export function sharedEntraToken(): string {
  const file = join(dirname(process.env.PROVISIO_DATABASE!), 'entra-token');
  if (!existsSync(file)) writeFileSync(file, createTokenWithCli('entra'));
  return readFileSync(file, 'utf8');
}

/** SCIM requests as Entra ID, with one CLI-made token shared by the specs that need it. */
export function entraScim(request: APIRequestContext) {
  const secret = sharedEntraToken();
  const headers = { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/scim+json' };
  return {
    post: async (path: string, data: object) => {
      const response = await request.post(`/scim/v2/entra${path}`, { headers, data });
      expect(response.status(), await response.text()).toBe(201);
      return (await response.json()).id as string;
    },
    get: (path: string) => request.get(`/scim/v2/entra${path}`, { headers }),
    delete: (path: string) => request.delete(`/scim/v2/entra${path}`, { headers }),
  };
}

export function entraUser(userName: string, extra: object = {}) {
  const [given] = userName.split('@');
  return {
    schemas: [CORE, ENTERPRISE, CUSTOM],
    userName,
    active: true,
    displayName: `${given} Example`,
    name: { givenName: given, familyName: 'Example' },
    emails: [{ type: 'work', primary: true, value: userName }],
    ...extra,
  };
}

