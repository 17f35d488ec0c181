import { createTokenWithCli, expect, open, signedIn, test, withStatus } from './fixtures';

// The SCIM request log in the portal: C2's last errors, and the log page with its filters.
test.describe.configure({ mode: 'serial' });

const PASSWORD = 'Sup3r-Secret-Pa55';
const XSS = '<img src=x onerror=window.__xss=1>';

test('the provisioning page shows the last errors, and the log page filters and opens requests', async ({ page, request }) => {
  const secret = createTokenWithCli('okta');
  const headers = { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/scim+json' };
  const user = (userName: string) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName,
    name: { givenName: 'Log', familyName: 'Viewer' },
    emails: [{ value: 'log.viewer@example.com', primary: true }],
    password: PASSWORD,
    active: true,
  });
  const created = await request.post('/scim/v2/okta/Users', { headers, data: user(XSS) });
  expect(created.status()).toBe(201);
  const id = (await created.json()).id as string;
  expect((await request.post('/scim/v2/okta/Users', { headers, data: user(XSS) })).status()).toBe(409);
  expect((await request.post('/scim/v2/okta/Users', { headers, data: '{"userName": ' })).status()).toBe(400);
  expect((await request.get(`/scim/v2/okta/Users/${id}`, { headers })).status()).toBe(200);

  await signedIn(page);
  // The log is written beside the response, so the page may be a moment ahead of it.
  await expect(async () => {
    await open(page, '/admin/identity/provisioning/okta');
    await expect(withStatus(page.locator('.request.failed'), 409)).toContainText('uniqueness', { timeout: 1000 });
  }).toPass();
  await expect(page.getByRole('heading', { name: 'Last errors' })).toBeVisible();
  await expect(page.getByText(/Last activity: \d{4}-\d\d-\d\d/)).toBeVisible();

  await page.getByRole('link', { name: 'See every Okta request' }).click();
  await expect(page).toHaveURL(/provisioning-log\?idp=okta$/);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('Outcome').selectOption('failed');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/outcome=failed/);
  await expect(page.locator('.request')).toHaveCount(2);
  await expect(page.locator('.request:not(.failed)')).toHaveCount(0);

  // Opened, a request shows its redacted body; what the IdP sent is text, never markup.
  const conflict = withStatus(page.locator('.request'), 409);
  await conflict.locator('summary').click();
  const body = conflict.locator('pre').first();
  await expect(body).toContainText(XSS);
  await expect(body).toContainText('[redacted]');
  await expect(page.getByText(PASSWORD)).toHaveCount(0);
  expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();

  // From the created user's entry, every request about that user.
  await page.getByLabel('Outcome').selectOption('');
  await page.getByLabel('Method').selectOption('POST');
  await page.getByRole('button', { name: 'Show' }).click();
  const create = withStatus(page.locator('.request'), 201);
  await create.locator('summary').click();
  await create.getByRole('link', { name: 'Changes and errors about it' }).click();
  await expect(page).toHaveURL(new RegExp(`resource=${id}`));
  await expect(page.locator('.request')).toHaveCount(1);
  await expect(page.locator('.request')).toContainText(`POST /scim/v2/okta/Users`);
  await expect(page.getByText('By resource, the log lists its changes and errors')).toBeVisible();

  // Its successful read is in the log, without a copy of the user it returned.
  await open(page, '/admin/identity/provisioning-log?idp=okta&method=GET');
  const read = withStatus(page.locator('.request').filter({ hasText: `GET /scim/v2/okta/Users/${id}` }), 200);
  await read.locator('summary').click();
  await expect(read.locator('pre').last()).toHaveText('(not kept for a successful read: it returned the stored resource)');
});
