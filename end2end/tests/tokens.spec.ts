import { APIRequestContext } from '@playwright/test';
import { ADMIN, editSettings, expect, open, signedIn, test } from './fixtures';

// T1-T5 on the Entra page, each action checked at the SCIM endpoint. Runs after portal.spec.ts
// (which sets the admin up); the steps build on each other.
test.describe.configure({ mode: 'serial' });

const PAGE = '/admin/identity/provisioning/entra';

async function scimStatus(request: APIRequestContext, secret: string) {
  const response = await request.get('/scim/v2/entra/Users?filter=userName%20eq%20%22nobody%22', {
    headers: { Authorization: `Bearer ${secret}` },
  });
  return response.status();
}

test('generate asks first, shows the token once with copy buttons, and the token works at SCIM', async ({ page, request }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await signedIn(page);
  await open(page, PAGE);
  await expect(page.getByText('No token yet.')).toBeVisible();

  await page.getByRole('button', { name: 'Generate' }).click();
  const dialog = page.getByRole('dialog', { name: 'Generate a SCIM token for Entra ID?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Generate' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Generate' })).toBeFocused();
  await expect(page.getByText('No token yet.')).toBeVisible();

  // Something typed and not yet saved elsewhere on the page must survive the token action.
  await editSettings(page);
  const attributeName = page.getByRole('form', { name: 'Add a custom attribute' }).getByLabel('Attribute name');
  await attributeName.fill('notSavedYet');

  await page.getByRole('button', { name: 'Generate' }).click();
  await dialog.getByRole('button', { name: 'Generate' }).click();
  const shown = page.getByRole('region', { name: 'New token' });
  await expect(shown).toBeVisible();
  const secret = (await shown.getByTestId('new-token-secret').textContent())!;
  expect(secret).toMatch(/^prv_[A-Za-z0-9]{40}$/);
  await expect(shown.getByTestId('new-token-url')).toHaveText(/\/scim\/v2\/entra$/);
  await expect(shown.getByRole('alert')).toContainText('it will not be shown again');

  // The table is re-read after the action; only the table is redrawn.
  await expect(page.getByRole('row', { name: new RegExp(`prv_…${secret.slice(-4)}\\s+Active`) })).toBeVisible();
  await expect(attributeName).toHaveValue('notSavedYet');
  await attributeName.fill('');

  const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
  await shown.getByRole('button', { name: 'Copy token' }).click();
  await expect(shown.getByRole('button', { name: 'Copy token' })).toHaveText('Copied');
  await expect.poll(clipboard).toBe(secret);
  await shown.getByRole('button', { name: 'Copy SCIM URL' }).click();
  await expect(shown.getByRole('button', { name: 'Copy SCIM URL' })).toHaveText('Copied');
  await expect.poll(clipboard).toMatch(/\/scim\/v2\/entra$/);
  await expect(shown.getByRole('button', { name: 'Copy token' })).toHaveText('Copied');

  expect(await scimStatus(request, secret)).toBe(200);

  // T3: after a refresh the status table is there, the secret is not.
  await open(page, PAGE);
  await expect(page.getByRole('region', { name: 'New token' })).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);
  const row = page.getByRole('row', { name: new RegExp(`prv_…${secret.slice(-4)}\\s+Active`) });
  await expect(row).toBeVisible();
  await expect(page.getByText('Entra ID connected')).toBeVisible();
  process.env.ENTRA_SECRET = secret;
});

test('at two tokens Generate is disabled and says why (T2)', async ({ page }) => {
  await signedIn(page);
  await open(page, PAGE);
  const generate = page.getByRole('button', { name: 'Generate' });
  await expect(generate).toBeEnabled();
  await generate.click();
  await page.getByRole('dialog').getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByRole('region', { name: 'New token' })).toBeVisible();
  process.env.ENTRA_SECOND = (await page.getByTestId('new-token-secret').textContent())!;
  await expect(page.getByRole('row', { name: /prv_…/ })).toHaveCount(2);

  // The reason sits next to the button (its description), before anything is confirmed.
  await expect(generate).toBeDisabled();
  await expect(generate).toHaveAccessibleDescription('Entra ID already has 2 tokens, the most it can have: delete one to generate another.');
  await open(page, PAGE);
  await expect(generate).toBeDisabled();
  await expect(page.getByRole('dialog')).toHaveCount(0);
});

test('set inactive, set active, renew and delete take effect at SCIM at once', async ({ page, request }) => {
  const first = process.env.ENTRA_SECRET!;
  const second = process.env.ENTRA_SECOND!;
  await signedIn(page);
  await open(page, PAGE);
  const menu = (secret: string) => page.getByLabel(`Select an action for token prv_…${secret.slice(-4)}`);
  const row = (secret: string) => page.getByRole('row', { name: new RegExp(`prv_…${secret.slice(-4)}`) });
  const status = (secret: string) => row(secret).getByRole('cell').nth(1);

  await menu(first).selectOption('Set Inactive');
  await expect(status(first)).toHaveText('Inactive');
  expect(await scimStatus(request, first)).toBe(401);
  expect(await scimStatus(request, second)).toBe(200);

  await menu(first).selectOption('Set Active');
  await expect(status(first)).toHaveText('Active');
  expect(await scimStatus(request, first)).toBe(200);

  await menu(first).selectOption('Renew');
  const renew = page.getByRole('dialog', { name: `Renew token prv_…${first.slice(-4)}?` });
  await renew.getByRole('button', { name: 'Renew' }).click();
  const renewed = (await page.getByTestId('new-token-secret').textContent())!;
  expect(renewed).not.toBe(first);
  expect(await scimStatus(request, first)).toBe(401);
  expect(await scimStatus(request, renewed)).toBe(200);
  await expect(status(renewed)).toHaveText('Active');
  await expect(row(renewed).getByRole('cell').nth(3)).not.toHaveText('—');

  await menu(second).selectOption('Delete');
  const remove = page.getByRole('dialog', { name: `Delete token prv_…${second.slice(-4)}?` });
  await remove.press('Escape');
  await expect(remove).toBeHidden();
  await expect(row(second)).toBeVisible();
  await expect(menu(second), 'the menu is back on "Select", so Delete can be chosen again').toHaveValue('');
  await menu(second).selectOption('Delete');
  await remove.getByRole('button', { name: 'Delete' }).click();
  await expect(row(second)).toHaveCount(0);
  expect(await scimStatus(request, second)).toBe(401);
  expect(await scimStatus(request, renewed)).toBe(200);

  // T5: each action in the audit trail, naming the admin and the IdP vendor.
  await open(page, '/audit');
  for (const action of ['created', 'deactivated', 'activated', 'renewed', 'deleted']) {
    await expect(page.getByRole('row', { name: new RegExp(`SCIM token ${action}\\s+${ADMIN.username}\\s+Entra ID/Azure`) }).first()).toBeVisible();
  }

  // Filtered by kind of event, then by text; the filters are in the URL.
  await page.getByLabel('Event').selectOption('SCIM token renewed');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/action=SCIM\+token\+renewed|action=SCIM%20token%20renewed/);
  const rows = page.locator('table.data tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('SCIM token renewed');
  await page.getByLabel('Event').selectOption('');
  await page.getByLabel('Administrator or details contain').fill('okta');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(rows).toHaveCount(2);
  await expect(page.getByRole('row', { name: /SCIM token created\s+command line\s+Okta/ })).toHaveCount(2);
});
