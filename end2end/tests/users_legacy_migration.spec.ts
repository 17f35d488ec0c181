import { entraScim, entraUser, expect, open, signedIn, test } from './fixtures';

// M1, M2: the legacy Entra ID user source, from CSV import to the leftovers' bulk delete.
test.describe.configure({ mode: 'serial' });

const PAGE = '/admin/identity/legacy-entra';
const CSV = [
  'userName,givenName,familyName,email,groups',
  'ann.legacy@contoso.com,Ann,Legacy,ann.legacy@contoso.com,Legacy Team',
  'bo.legacy@contoso.com,Bo,Legacy,bo.legacy@contoso.com,Legacy Team',
  'cy.legacy@contoso.com,Cy,,cy.legacy@contoso.com,',
].join('\n');

test('legacy users are imported from CSV, then the source turns read-only while SCIM takes them over', async ({ page, request }) => {
  await signedIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Entra ID User Source' }).click();
  await expect(page).toHaveURL(new RegExp(`${PAGE}$`));
  const form = page.getByRole('form', { name: 'Import users from CSV' });
  await form.getByLabel('CSV file').setInputFiles({ name: 'legacy.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
  await form.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByText('Imported 2 users and 1 groups.')).toBeVisible();
  await expect(page.getByText('Line 4: Enter the last name.')).toBeVisible();
  await expect(page.getByText('The legacy source holds 2 users and 1 groups.')).toBeVisible();

  await page.getByRole('button', { name: 'Start migration' }).click();
  const confirm = page.getByRole('dialog', { name: 'Start the migration to SCIM?' });
  await expect(confirm).toContainText('read-only');
  await confirm.getByRole('button', { name: 'Start migration' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Migration to SCIM under way' })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Import users from CSV' })).toHaveCount(0);

  // Entra ID sends Ann: she is taken over (M1) and is no longer a leftover.
  await entraScim(request).post('/Users', entraUser('ann.legacy@contoso.com'));
  await open(page, PAGE);
  const users = page.getByRole('table', { name: 'Legacy users left' });
  await expect(users.getByRole('row', { name: /bo.legacy@contoso.com/ })).toBeVisible();
  await expect(users.getByRole('row', { name: /ann.legacy@contoso.com/ })).toHaveCount(0);
});

test('the legacy users and groups the IdP did not send are deleted in bulk (M2)', async ({ page }) => {
  await signedIn(page);
  await open(page, PAGE);
  await page.getByLabel('Select bo.legacy@contoso.com').check();
  await page.getByLabel('Select group Legacy Team').check();
  await page.getByRole('button', { name: 'Delete selected' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete legacy leftovers?' });
  await expect(confirm).toContainText('1 users and 1 groups are deleted.');
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('No legacy users are left.')).toBeVisible();
  await expect(page.getByText('No legacy groups are left.')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Deleted 1 users and 1 groups.' })).toBeVisible();

  await open(page, '/users?source=legacy_entra');
  await expect(page.getByText('No user matches.')).toBeVisible();
  await open(page, '/users?q=ann.legacy');
  await expect(page.getByRole('row', { name: /ann.legacy@contoso.com.*SCIM Entra ID/ })).toBeVisible();
  await open(page, '/audit');
  await expect(page.getByRole('row', { name: /Legacy leftovers deleted\s+ann.admin\s+1 users, 1 groups/ })).toBeVisible();
});
