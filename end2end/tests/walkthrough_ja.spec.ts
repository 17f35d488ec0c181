import { ADMIN, expect, open, test } from './fixtures';

// One pass through the portal in Japanese, the language the browser asks for; then the
// switcher to French and back. Hydration errors would fail every test (see fixtures.ts).
test.describe.configure({ mode: 'serial' });
test.use({ locale: 'ja-JP' });

test('a Japanese browser gets the portal in Japanese, from sign-in to every page', async ({ page }) => {
  await open(page, '/login');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page.getByRole('heading', { name: 'Provisioにサインイン' })).toBeVisible();
  await page.getByLabel('ユーザ名').fill(ADMIN.username);
  // What the server refuses reads in Japanese too.
  await page.getByLabel('パスワード').fill('not the password');
  await page.getByRole('button', { name: 'サインイン' }).click();
  await expect(page.getByRole('alert')).toHaveText('ユーザ名またはパスワードが正しくありません。');
  await page.getByLabel('パスワード').fill(ADMIN.password);
  await page.getByRole('button', { name: 'サインイン' }).click();
  await expect(page).toHaveURL(/\/users$/);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);

  const nav = page.getByRole('navigation', { name: 'メイン' });
  await expect(nav.getByRole('link', { name: 'ユーザ', exact: true })).toBeVisible();
  await expect(page.locator('.who')).toHaveText(`サインイン中のユーザ ${ADMIN.username}`);
  await expect(page.getByRole('heading', { name: 'ユーザ', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'ローカル ユーザを作成' })).toBeVisible();
  await page.getByLabel('検索').fill('ada');
  await page.getByRole('button', { name: '表示' }).click();
  await expect(page.getByRole('row', { name: /ada@contoso.com.*SCIM Entra ID.*アクティブ/ })).toBeVisible();
  await page.getByRole('button', { name: 'ローカル ユーザを作成' }).click();
  const dialog = page.getByRole('dialog', { name: 'ローカル ユーザを作成' });
  await dialog.getByLabel('ユーザ名').fill('ADA@contoso.com');
  await dialog.getByLabel('名', { exact: true }).fill('Ada');
  await dialog.getByLabel('姓', { exact: true }).fill('Lovelace');
  await dialog.getByLabel('メール アドレス').fill('ada@example.com');
  await dialog.getByRole('button', { name: '作成', exact: true }).click();
  await expect(dialog.getByRole('alert')).toHaveText('ADA@contoso.com という名前のユーザはすでに存在します。');
  await dialog.getByRole('button', { name: 'キャンセル' }).click();

  await nav.getByRole('link', { name: 'ユーザ グループ' }).click();
  await expect(page.getByRole('heading', { name: 'ユーザ グループ', level: 1 })).toBeVisible();
  await expect(page.getByRole('row', { name: /すべてのユーザ\s+組み込み/ })).toBeVisible();

  await nav.getByRole('link', { name: 'ユーザ プロビジョニング' }).click();
  await expect(page.getByRole('heading', { name: 'Entra IDユーザプロビジョニング' })).toBeVisible();
  await expect(page.getByLabel('ID プロバイダ (IdP) の選択')).toBeVisible();
  await expect(page.getByRole('button', { name: '生成', exact: true })).toBeVisible();

  await nav.getByRole('link', { name: '監査トライアル' }).click();
  await expect(page.getByRole('heading', { name: '監査トライアル' })).toBeVisible();
  // The seeds' own words for the token events; the filter still matches the stored event.
  await page.getByLabel('イベント').selectOption({ label: 'SCIMトークンが作成されました' });
  await page.getByRole('button', { name: '表示' }).click();
  await expect(page).toHaveURL(/action=SCIM(\+|%20)token(\+|%20)created/);
  await expect(page.getByRole('cell', { name: 'SCIMトークンが作成されました' }).first()).toBeVisible();
  await expect(page.getByRole('cell', { name: 'SCIM token created' })).toHaveCount(0);
});

test('the language switcher changes the portal to French and back, and remembers it', async ({ page }) => {
  await open(page, '/login');
  await page.getByLabel('ユーザ名').fill(ADMIN.username);
  await page.getByLabel('パスワード').fill(ADMIN.password);
  await page.getByRole('button', { name: 'サインイン' }).click();
  await expect(page).toHaveURL(/\/users$/);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);

  const languages = page.getByRole('navigation', { name: '言語' });
  await expect(languages.getByRole('link', { name: '日本語' })).toHaveAttribute('aria-current', 'true');
  await languages.getByRole('link', { name: 'Français' }).click();
  await expect(page).toHaveURL(/\/users$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.getByRole('navigation', { name: 'Principale' }).getByRole('link', { name: 'Utilisateurs', exact: true })).toBeVisible();
  await open(page, '/audit?q=ann');
  await expect(page.getByRole('link', { name: 'Historique des audits' })).toBeVisible();

  // Back to English on the same page, with its filter.
  await page.getByRole('navigation', { name: 'Langue' }).getByRole('link', { name: 'English' }).click();
  await expect(page).toHaveURL(/\/audit\?q=ann$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('link', { name: 'Audit Trail' })).toBeVisible();
});
