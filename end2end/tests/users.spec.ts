import { editSettings, entraScim as scim, entraUser, expect, open, receivedMail, signedIn, test } from './fixtures';

// Users, User Groups, an IdP's settings and the Attributes page, walked in order on one server
// (Okta has its two tokens by now; Entra ID has room for one more).
test.describe.configure({ mode: 'serial' });

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:ivanti:2.0:User';
const ENTRA_PAGE = '/admin/identity/provisioning/entra';

test('settings: Managed Apple ID with the appleid subdomain and custom attributes, then on the Attributes page', async ({ page, request }) => {
  await signedIn(page);
  await open(page, ENTRA_PAGE);
  await editSettings(page);
  const settings = page.getByRole('form', { name: 'Provisioning settings' });
  const appleId = settings.getByLabel("Derive each user's Managed Apple ID from their email address");
  const subdomain = settings.getByLabel(/Include "appleid" subdomain/);
  await expect(appleId).not.toBeChecked();
  await expect(subdomain).toBeDisabled();
  await appleId.check();
  await subdomain.check();
  await settings.getByLabel(/Auto-invite/).check();
  await settings.getByRole('button', { name: 'Save Changes' }).click();
  await expect(settings.getByRole('status')).toHaveText('Changes saved.');
  await open(page, ENTRA_PAGE);
  await editSettings(page);
  await expect(appleId).toBeChecked();
  await expect(subdomain).toBeChecked();
  await settings.getByLabel(/Auto-invite/).uncheck();
  await settings.getByRole('button', { name: 'Save Changes' }).click();
  await expect(settings.getByRole('status')).toHaveText('Changes saved.');

  // Managed Apple IDs are an Entra ID setting (S2): Okta's page does not offer them.
  await open(page, '/admin/identity/provisioning/okta');
  await editSettings(page);
  await expect(page.getByRole('form', { name: 'Provisioning settings' }).getByLabel(/Auto-invite/)).toBeVisible();
  await expect(page.getByText('Managed Apple ID')).toHaveCount(0);

  await open(page, ENTRA_PAGE);
  await editSettings(page);
  const add = page.getByRole('form', { name: 'Add a custom attribute' });
  await add.getByLabel('Attribute name').fill('cost center');
  await add.getByRole('button', { name: '+ Add Custom Attribute' }).click();
  await expect(page.getByRole('alert')).toContainText('no spaces');
  await add.getByLabel('Attribute name').fill('costCenter');
  await add.getByRole('button', { name: '+ Add Custom Attribute' }).click();
  await expect(page.getByRole('list', { name: 'Custom attributes' }).getByText('costCenter')).toBeVisible();
  await add.getByLabel('Attribute name').fill('badge');
  await add.getByRole('button', { name: '+ Add Custom Attribute' }).click();
  await page.getByRole('button', { name: 'Remove badge' }).click();
  await expect(page.getByRole('list', { name: 'Custom attributes' }).getByText('badge')).toHaveCount(0);

  // A5: listed with type IDP; Delete is the only action.
  await open(page, '/admin/system/attributes');
  const row = page.getByRole('row', { name: /costCenter\s+IDP\s+Entra ID/ });
  await expect(row).toBeVisible();
  await expect(row.getByRole('button')).toHaveText(['Delete']);
  const schemas = await (await scim(request).get('/Schemas')).text();
  expect(schemas).toContain('costCenter');
});

test('auto-invite emails each new user a registration invitation over SMTP, and the page shows it sent', async ({ page, request }) => {
  await signedIn(page);
  await open(page, ENTRA_PAGE);
  await editSettings(page);
  const settings = page.getByRole('form', { name: 'Provisioning settings' });
  await settings.getByLabel(/Auto-invite/).check();
  await settings.getByRole('button', { name: 'Save Changes' }).click();
  await expect(settings.getByRole('status')).toHaveText('Changes saved.');

  await scim(request).post('/Users', entraUser('invitee@contoso.com'));
  await expect.poll(() => receivedMail().filter((m) => m.includes('invitee@contoso.com')).length).toBe(1);
  const message = receivedMail().find((m) => m.includes('invitee@contoso.com'))!;
  expect(message).toContain('To: "invitee Example" <invitee@contoso.com>');
  expect(message).toContain('Subject: You are invited to register your devices');
  expect(message).toContain('Your Entra ID account invitee@contoso.com');

  const invitations = page.getByRole('region', { name: 'Invitations' });
  await expect(async () => {
    await invitations.getByRole('button', { name: 'Refresh' }).click();
    await expect(invitations.getByRole('row', { name: /invitee@contoso.com\s+invitee@contoso.com\s+Sent/ })).toBeVisible({ timeout: 1000 });
  }).toPass();
  await expect(invitations.getByTestId('invitation-counts')).toContainText('1 sent · 0 waiting · 0 failed');

  // Off again for the specs after this one; "Changes saved." is still up from the first save,
  // so the reloaded page is what proves this one landed.
  await settings.getByLabel(/Auto-invite/).uncheck();
  await settings.getByRole('button', { name: 'Save Changes' }).click();
  await expect(async () => {
    await open(page, ENTRA_PAGE);
    await editSettings(page);
    await expect(settings.getByLabel(/Auto-invite/)).not.toBeChecked({ timeout: 1000 });
  }).toPass();
});

test("a provisioned user's page: details with the Managed Apple ID, every attribute, groups and the log", async ({ page, request }) => {
  const api = scim(request);
  const ada = await api.post('/Users', entraUser('ada@contoso.com', {
    [ENTERPRISE]: { department: 'Research' },
    [CUSTOM]: { costCenter: 'CC-42' },
  }));
  await api.post('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Analysts', members: [{ value: ada }] });

  await signedIn(page);
  await page.getByLabel('Search').fill('ADA@');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/q=ADA%40/);
  await expect(page.locator('table.data tbody tr')).toHaveCount(1);
  await page.getByRole('link', { name: 'ada@contoso.com' }).click();

  await expect(page.getByRole('heading', { name: 'ada Example' })).toBeVisible();
  const details = page.getByRole('tabpanel');
  await expect(details.getByText('ada@appleid.contoso.com')).toBeVisible();
  await expect(details.getByText('SCIM Entra ID')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Suspend' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Delete' })).toHaveCount(0);

  await page.getByRole('tab', { name: 'Attributes' }).click();
  await expect(page.getByRole('tab', { name: 'Attributes' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('row', { name: /Enterprise\s+department\s+Research/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /Custom\s+costCenter\s+CC-42/ })).toBeVisible();

  await page.getByRole('tab', { name: 'Details' }).click();
  await page.getByRole('link', { name: 'Analysts' }).click();
  await expect(page.getByRole('heading', { name: 'Analysts' })).toBeVisible();
  await expect(page.getByRole('row', { name: /ada@contoso.com\s+ada Example\s+SCIM Entra ID\s+Active/ })).toBeVisible();

  await open(page, `/users/${ada}`);
  await page.getByRole('link', { name: 'Provisioning log for this user' }).click();
  await expect(page).toHaveURL(new RegExp(`resource=${ada}`));
  await expect(page.locator('.request').filter({ hasText: 'POST' }).first()).toBeVisible();
});

test('the users list filters by source and status, sorts, and shows provisioned markup as text', async ({ page }) => {
  await signedIn(page);
  await page.getByLabel('Source').selectOption('SCIM Okta');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/source=scim_okta/);
  // provisioning_log.spec provisioned this userName through Okta.
  await expect(page.getByRole('link', { name: '<img src=x onerror=window.__xss=1>' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'ada@contoso.com' })).toHaveCount(0);
  expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();

  await page.getByLabel('Source').selectOption('');
  await page.getByLabel('Status').selectOption('Suspended');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByText('No user matches.')).toBeVisible();

  await page.getByLabel('Status').selectOption('');
  await page.getByLabel('Sort by').selectOption('Newest first');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.locator('table.data tbody tr').first()).toContainText('ada@contoso.com');
});

test('a local user is created, suspended, restored and deleted after a confirmation', async ({ page }) => {
  await signedIn(page);
  await page.getByRole('button', { name: 'Create local user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create local user' });
  await expect(dialog.getByLabel('User name')).toBeFocused();
  await dialog.getByLabel('User name').fill('ada@contoso.com');
  await dialog.getByLabel('First name').fill('Lou');
  await dialog.getByLabel('Last name').fill('Cal');
  await dialog.getByLabel('Email').fill('lou@example.com');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog.getByRole('alert')).toContainText('A user named ada@contoso.com already exists.');
  await dialog.getByLabel('User name').fill('lou@example.com');
  await dialog.getByRole('button', { name: 'Create' }).click();

  await expect(page).toHaveURL(/\/users\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name: 'Lou Cal' })).toContainText('Active');
  await expect(page.getByRole('tabpanel').getByText('Local', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Suspend' }).click();
  await expect(page.getByRole('heading', { name: 'Lou Cal' })).toContainText('Suspended');
  await page.getByRole('button', { name: 'Restore' }).click();
  await expect(page.getByRole('heading', { name: 'Lou Cal' })).toContainText('Active');
  await page.getByRole('button', { name: 'Suspend' }).click();

  await page.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete this user?' });
  await expect(confirm).toContainText('permanently removed');
  // A dangerous dialog starts on Cancel; Tab stays inside; Escape gives focus back to the opener.
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(confirm.getByRole('button', { name: 'Delete' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(page.getByRole('button', { name: 'Delete' })).toBeFocused();
  await page.keyboard.press('Enter');
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(page).toHaveURL(/\/users$/);
  await expect(page.getByRole('link', { name: 'lou@example.com' })).toHaveCount(0);

  await open(page, '/audit');
  for (const action of ['User created', 'User suspended', 'User restored', 'User deleted']) {
    await expect(page.getByRole('row', { name: new RegExp(`${action}\\s+ann.admin\\s+lou@example.com`) }).first()).toBeVisible();
  }
});

test('deleting what an IdP provisioned warns that the IdP must remove it too (P7)', async ({ page, request }) => {
  const api = scim(request);
  const bo = await api.post('/Users', entraUser('bo@contoso.com'));
  const cy = await api.post('/Users', entraUser('cy@contoso.com'));
  const group = await api.post('/Groups', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    displayName: 'Field Team',
    members: [{ value: bo }, { value: cy }],
  });

  await signedIn(page);
  await open(page, '/groups');
  await expect(page.getByRole('row', { name: /Field Team\s+SCIM Entra ID\s+2/ })).toBeVisible();
  await page.getByRole('link', { name: 'Field Team' }).click();
  await expect(page.getByRole('row', { name: /bo@contoso.com/ })).toBeVisible();
  await page.getByRole('button', { name: 'Delete group' }).click();
  const confirmGroup = page.getByRole('dialog', { name: 'Delete this group?' });
  await expect(confirmGroup).toContainText('Provisio never changes Entra ID');
  await confirmGroup.getByRole('button', { name: 'Delete' }).click();
  await expect(page).toHaveURL(/\/groups$/);
  await expect(page.getByRole('link', { name: 'Field Team' })).toHaveCount(0);
  expect((await api.get(`/Groups/${group}`)).status()).toBe(404);

  // L3: the IdP's delete suspends; the admin may then delete, warned about the IdP.
  expect((await api.delete(`/Users/${bo}`)).status()).toBe(204);
  await open(page, `/users/${bo}`);
  await expect(page.getByRole('tabpanel')).toContainText('deleted in the identity provider');
  await page.getByRole('button', { name: 'Delete' }).click();
  const confirmUser = page.getByRole('dialog', { name: 'Delete this user?' });
  await expect(confirmUser).toContainText('Provisio never changes Entra ID');
  await confirmUser.getByRole('button', { name: 'Delete' }).click();
  await expect(page).toHaveURL(/\/users$/);
  await open(page, `/users/${bo}`);
  await expect(page.getByRole('alert')).toHaveText('No user has this id; it may have been deleted.');
});

test('a configuration flags unknown variables and previews each user\'s values (A7)', async ({ page }) => {
  await signedIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Configurations' }).click();
  await page.getByRole('link', { name: 'New email account configuration' }).click();
  const form = page.getByRole('form', { name: 'Email account configuration' });
  await form.getByLabel('Name', { exact: true }).fill('Corporate mail');
  await form.getByLabel('Display name').fill('${displayName} ${costCenter} ${nope}');
  await expect(form.getByText('Unknown variable: ${nope}')).toBeVisible();
  await expect(form.getByLabel('Display name')).toHaveAttribute('aria-invalid', 'true');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('alert')).toContainText('Display name uses ${nope}, which is not a user attribute');
  await form.getByLabel('Display name').fill('${displayName} (${costCenter})');
  await expect(form.getByText(/^Unknown variable/)).toHaveCount(0);
  await expect(form.getByLabel('Display name')).toHaveAttribute('aria-invalid', 'false');
  await form.getByLabel('Incoming mail server').fill('imap.contoso.com');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(/\/configurations\/\d+$/);

  const preview = page.getByRole('form', { name: 'Preview for a user' });
  await preview.getByLabel('User name').fill('ada@contoso.com');
  await preview.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByRole('row', { name: /Email address\s+ada@contoso.com/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /Display name\s+ada Example \(CC-42\)/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /Incoming mail server\s+imap.contoso.com/ })).toBeVisible();

  await open(page, '/configurations');
  await expect(page.getByRole('row', { name: /Corporate mail\s+\$\{email\}/ })).toBeVisible();
});

test('a custom attribute deleted on the Attributes page leaves the SCIM schema', async ({ page, request }) => {
  await signedIn(page);
  await open(page, '/admin/system/attributes');
  await page.getByRole('button', { name: 'Delete costCenter' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete costCenter?' });
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('No custom attributes are defined.')).toBeVisible();
  // The enterprise extension has its own costCenter (RFC 7643); the custom one must lose it.
  const schemas = await (await scim(request).get('/Schemas')).json();
  const custom = schemas.Resources.find((schema: { id: string }) => schema.id.includes(':ivanti:'));
  expect(JSON.stringify(custom ?? {})).not.toContain('costCenter');
});
