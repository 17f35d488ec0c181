import { ADMIN, createTokenWithCli, expect, open, signIn, signedIn, test } from './fixtures';

// One server, walked from its first run: these run in order.
test.describe.configure({ mode: 'serial' });

test('first run: setup needs the code from the server log, then signs in', async ({ page }) => {
  await page.goto('/users');
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.getByRole('heading', { name: 'Set up Provisio' })).toBeVisible();

  const form = page.getByRole('form', { name: 'Create the first administrator' });
  await form.getByLabel('Setup code').fill('AAAA-BBBB-CCCC');
  await form.getByLabel('Username').fill(ADMIN.username);
  await form.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await form.getByLabel('Password again').fill(ADMIN.password);
  await form.getByRole('button', { name: 'Create administrator' }).click();
  await expect(page.getByRole('alert')).toContainText('setup code is not right');

  await form.getByLabel('Setup code').fill(process.env.PROVISIO_SETUP_CODE!);
  await form.getByRole('button', { name: 'Create administrator' }).click();
  await expect(page).toHaveURL(/\/users$/);
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  await expect(page.locator('.who')).toHaveText(`Signed in as ${ADMIN.username}`);
});

test('sign out ends the session', async ({ page }) => {
  await signedIn(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/users');
  await expect(page).toHaveURL(/\/login\?next=\/users$/);
});

test('a wrong password gets a clear message and no hint which part was wrong', async ({ page }) => {
  await signIn(page, ADMIN.username, 'not the password at all');
  await expect(page.getByRole('alert')).toHaveText('The username or password is incorrect.');
  await expect(page).toHaveURL(/\/login$/);

  await signIn(page, 'nobody', ADMIN.password);
  await expect(page.getByRole('alert')).toHaveText('The username or password is incorrect.');
  await page.goto('/audit');
  await expect(page).toHaveURL(/\/login\?next=\/audit$/);
});

test('navigation reaches every page', async ({ page }) => {
  await signedIn(page);
  const nav = page.getByRole('navigation', { name: 'Main' });

  await expect(page.getByText('No users yet.')).toBeVisible();

  await nav.getByRole('link', { name: 'User Groups' }).click();
  await expect(page).toHaveURL(/\/groups$/);
  await expect(page.getByRole('heading', { name: 'User Groups' })).toBeVisible();
  await expect(page.getByRole('row', { name: /All Users\s+Built-in\s+0/ })).toBeVisible();

  await nav.getByRole('link', { name: 'User Provisioning' }).click();
  await expect(page).toHaveURL(/\/admin\/identity\/provisioning\/entra$/);
  await expect(page.getByRole('heading', { name: 'Entra ID User Provisioning' })).toBeVisible();
  await expect(page.locator('.scim-url')).toHaveText(/\/scim\/v2\/entra$/);

  await page.getByLabel('Select Identity Provider (IdP)').selectOption('okta');
  await expect(page).toHaveURL(/\/admin\/identity\/provisioning\/okta$/);
  await expect(page.getByRole('heading', { name: 'User Provisioning - Okta' })).toBeVisible();
  await expect(page.locator('.scim-url')).toHaveText(/\/scim\/v2\/okta$/);

  await nav.getByRole('link', { name: 'Attributes' }).click();
  await expect(page).toHaveURL(/\/admin\/system\/attributes$/);
  await expect(page.getByRole('heading', { name: 'Attributes' })).toBeVisible();

  await nav.getByRole('link', { name: 'Audit Trail' }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.getByRole('row', { name: new RegExp(`Administrator created\\s+${ADMIN.username}`) })).toBeVisible();

  await nav.getByRole('link', { name: 'Users' }).click();
  await expect(page).toHaveURL(/\/users$/);
});

test('a token made with the CLI shows in the status table, the audit trail and works at SCIM', async ({ page, request }) => {
  const secret = createTokenWithCli('okta');
  const scim = await request.get('/scim/v2/okta/Users?startIndex=1&count=2', { headers: { Authorization: `Bearer ${secret}` } });
  expect(scim.status()).toBe(200);
  expect(await scim.json()).toMatchObject({ totalResults: 0, itemsPerPage: 0, Resources: [] });

  await signedIn(page);
  await open(page, '/admin/identity/provisioning/okta');
  const row = page.getByRole('row', { name: new RegExp(`prv_…${secret.slice(-4)}\\s+Active`) });
  await expect(row).toBeVisible();
  await expect(page.getByText('Okta connected')).toBeVisible();

  await open(page, '/audit');
  await expect(page.getByRole('row', { name: /SCIM token created\s+command line\s+Okta/ })).toBeVisible();
});
