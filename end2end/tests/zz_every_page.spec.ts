import { Page } from '@playwright/test';
import { ADMIN, entraScim, entraUser, expect, open, sharedEntraToken, signedIn, test, withStatus } from './fixtures';
import { PORT } from '../playwright.config';

// Every portal page, opened by a full load (page.goto) in English, Japanese and French: no
// console or page error (a failed hydration shows only on a full load), no word broken inside
// at 1280 px, and no page wider than a 390 px phone. Named to run last, when the other specs
// have left data on every page; it adds what it needs itself, so it also runs alone.
test.describe.configure({ mode: 'serial' });

const LANGUAGES = ['en', 'ja', 'fr'] as const;
type Language = (typeof LANGUAGES)[number];
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const ids = { user: '', group: '', configuration: '' };

async function useLanguage(page: Page, language: Language) {
  await page.context().addCookies([{ name: 'lang', value: language, url: `http://127.0.0.1:${PORT}` }]);
}

/** Signs in, first creating the administrator when this spec runs alone on a fresh server. */
async function signedInAnyway(page: Page) {
  await page.goto('/users');
  if (page.url().endsWith('/setup')) {
    const form = page.getByRole('form', { name: 'Create the first administrator' });
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
    await form.getByLabel('Setup code').fill(process.env.PROVISIO_SETUP_CODE!);
    await form.getByLabel('Username').fill(ADMIN.username);
    await form.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await form.getByLabel('Password again').fill(ADMIN.password);
    await form.getByRole('button', { name: 'Create administrator' }).click();
    await expect(page).toHaveURL(/\/users$/);
    return;
  }
  await signedIn(page);
}

function everyPage() {
  return [
    '/users',
    '/users?page=2',
    `/users/${ids.user}`,
    `/users/${ids.user}?tab=attributes`,
    '/groups',
    `/groups/${ids.group}`,
    '/groups/all-users',
    '/admin/identity/provisioning/entra',
    '/admin/identity/provisioning/okta',
    '/admin/identity/provisioning-log',
    '/admin/identity/legacy-entra',
    '/admin/system/attributes',
    '/configurations',
    '/configurations/new',
    `/configurations/${ids.configuration}`,
    '/audit',
  ];
}

test('data for every page: 60 users, a group, a group deleted over SCIM, a saved configuration', async ({ page, request }) => {
  await signedInAnyway(page);
  const scim = entraScim(request);
  const stamp = Date.now().toString(36);
  const members: string[] = [];
  for (let n = 0; n < 60; n++) {
    members.push(await scim.post('/Users', entraUser(`page${String(n).padStart(2, '0')}.${stamp}@contoso.com`)));
  }
  ids.user = members[0];
  ids.group = await scim.post('/Groups', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    displayName: `Pages ${stamp}`,
    members: members.slice(0, 5).map((value) => ({ value })),
  });
  // L4: deleting a group over SCIM suspends its members (they stay in All Users).
  const gone = await scim.post('/Groups', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    displayName: `Gone ${stamp}`,
    members: members.slice(55).map((value) => ({ value })),
  });
  expect((await scim.delete(`/Groups/${gone}`)).status()).toBe(204);

  // By a click, as an admin would: the full loads are what the page checks below are for.
  await open(page, '/configurations');
  await page.getByRole('link', { name: 'New email account configuration' }).click();
  const form = page.getByRole('form', { name: 'Email account configuration' });
  await form.getByLabel('Name', { exact: true }).fill(`Pages ${stamp}`);
  await form.getByLabel('Incoming mail server').fill('imap.contoso.com');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(/\/configurations\/\d+$/);
  ids.configuration = page.url().split('/').pop()!;
});

/**
 * Text in headers, badges, labels, navigation, tabs and buttons that wraps inside a word: a line
 * break is only allowed after a space, a hyphen, a slash or Japanese punctuation.
 */
function brokenWords(): string[] {
  const selector = 'th, td, .badge, .sidebar a, .nav-sub, .tabs a, .button, label, legend, .language a, h1, h2, h3, dt, .stages li';
  const breakAfter = /[\s\-/、。・）)」』:：,]/;
  const problems: string[] = [];
  const range = document.createRange();
  for (const element of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    let previous: { top: number; char: string } | null = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      for (let i = 0; i < text.length; i++) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getBoundingClientRect();
        if (rect.width === 0 && rect.height === 0) continue;
        if (/\s/.test(text[i])) {
          previous = { top: rect.top, char: ' ' };
          continue;
        }
        if (previous && rect.top > previous.top + rect.height / 2 && !breakAfter.test(previous.char)) {
          problems.push(`${element.tagName.toLowerCase()}.${element.className}: "${(element as HTMLElement).innerText.replace(/\n/g, '⏎')}"`);
          break;
        }
        previous = { top: rect.top, char: text[i] };
      }
    }
  }
  return [...new Set(problems)];
}

/** What makes a page wider than the window, if it is. */
function tooWide(): string[] {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const culprits = [...document.querySelectorAll('body *')]
    .filter((element) => element.getBoundingClientRect().right > width + 1)
    .slice(0, 5)
    .map((element) => `${element.tagName.toLowerCase()}.${element.className} right=${Math.round(element.getBoundingClientRect().right)}`);
  return [`scrollWidth ${document.documentElement.scrollWidth} > ${width}`, ...culprits];
}

for (const language of LANGUAGES) {
  test(`every page by a full load in ${language}: no browser error, no word broken at 1280 px, nothing wider than 390 px`, async ({ page }) => {
    test.setTimeout(120_000);
    await signedIn(page);
    await useLanguage(page, language);
    const errors: string[] = [];
    let current = '';
    page.on('pageerror', (error) => errors.push(`${current}: ${error.message}`));
    page.on('console', (message) => message.type() === 'error' && errors.push(`${current}: ${message.text()}`));
    for (const path of everyPage()) {
      current = path;
      await page.setViewportSize(DESKTOP);
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('lang', language);
      await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
      await expect(page.locator('.loading')).toHaveCount(0);
      await expect(page.locator('main h1').first()).toBeVisible();
      expect(errors, `browser errors on ${path}`).toEqual([]);
      expect(await page.locator('body').innerText(), `epoch date on ${path}`).not.toContain('1970-01-01');
      expect(await page.evaluate(brokenWords), `words broken at 1280 px on ${path}`).toEqual([]);
      await page.setViewportSize(PHONE);
      expect(await page.evaluate(tooWide), `wider than 390 px: ${path}`).toEqual([]);
    }
  });
}

test('on a phone the navigation folds behind Menu, and tables scroll in their own box', async ({ page }) => {
  await page.setViewportSize(PHONE);
  await signedIn(page);
  await open(page, '/users');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeHidden();
  const menu = page.getByRole('button', { name: 'Menu' });
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await menu.click();
  await expect(nav).toBeVisible();
  await nav.getByRole('link', { name: 'Audit Trail' }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(nav).toBeHidden();
  const table = page.locator('table.data');
  const box = await table.evaluate((element) => ({ client: element.clientWidth, scroll: element.scrollWidth, overflow: getComputedStyle(element).overflowX }));
  expect(box.client).toBeLessThanOrEqual(PHONE.width);
  expect(box.overflow).toBe('auto');
});

test('the users list: Sort by shows the order in effect, page 2 is page 2, the search fits and the controls line up', async ({ page }) => {
  await signedIn(page);
  await open(page, '/users');
  const sort = page.getByLabel('Sort by');
  await expect(sort).toHaveValue('user_name');
  expect(await sort.evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.text)).toBe('User name');
  const total = Number((await page.locator('.pager span').textContent())!.split(' of ')[1]);
  expect(total).toBeGreaterThan(50);

  await open(page, '/users?page=2');
  await expect(page.locator('table.data tbody tr')).toHaveCount(Math.min(total - 50, 50));
  await expect(page.locator('.pager span')).toHaveText(`51–${Math.min(total, 100)} of ${total}`);
  await expect(page.getByRole('link', { name: 'Previous' })).toBeVisible();
  await open(page, '/users?page=99');
  await expect(page.getByText(`Page 99 is past the end of the list: there are ${total} users.`)).toBeVisible();
  await expect(page.getByText('No users yet.')).toHaveCount(0);

  // The whole placeholder is visible in its box.
  const search = page.getByLabel('Search');
  const fits = await search.evaluate((input: HTMLInputElement) => {
    const style = getComputedStyle(input);
    const context = document.createElement('canvas').getContext('2d')!;
    context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return context.measureText(input.placeholder).width <= room;
  });
  expect(fits, 'search placeholder fits').toBe(true);
  // Fields, button and link share one bottom line.
  const form = page.getByRole('form', { name: 'Filter users' });
  const bottoms = await form.locator('input, select, .button').evaluateAll((elements) => elements.map((e) => Math.round(e.getBoundingClientRect().bottom)));
  expect(new Set(bottoms).size, `bottoms ${bottoms}`).toBe(1);
});

test('All Users is the group of every user: count, members and dates (SPEC L4)', async ({ page }) => {
  await signedIn(page);
  await open(page, '/users');
  const total = (await page.locator('.pager span').textContent())!.split(' of ')[1];
  await open(page, '/groups');
  await expect(page.getByRole('row', { name: new RegExp(`All Users\\s+Built-in\\s+${total}$`) })).toBeVisible();
  await page.getByRole('link', { name: 'All Users' }).click();
  await expect(page.getByRole('heading', { name: 'All Users', level: 1 })).toBeVisible();
  await expect(page.getByText(`Every user belongs to this built-in group, whatever their source: it lists all ${total} users.`)).toBeVisible();
  await expect(page.locator('.pager span')).toHaveText(`1–50 of ${total}`);
  await expect(page.locator('.details time')).toHaveText(/^20\d\d-/);
});

test('forms: typed text is not bold, the example attribute reads as a placeholder, sign-in has a language switch', async ({ page, browser }) => {
  await signedIn(page);
  await open(page, '/admin/identity/provisioning/entra');
  await page.getByRole('button', { name: 'Edit Settings' }).click();
  const name = page.getByRole('form', { name: 'Add a custom attribute' }).getByLabel('Attribute name');
  await expect(name).toHaveAttribute('placeholder', 'e.g. costCenter');
  const look = await name.evaluate((input) => ({
    weight: getComputedStyle(input).fontWeight,
    label: getComputedStyle(input.closest('label')!).fontWeight,
    color: getComputedStyle(input).color,
    placeholder: getComputedStyle(input, '::placeholder').color,
    italic: getComputedStyle(input, '::placeholder').fontStyle,
  }));
  expect(look.weight).toBe('400');
  expect(look.label).toBe('600');
  expect(look.placeholder).not.toBe(look.color);
  expect(look.italic).toBe('italic');

  const signedOut = await browser.newPage();
  await open(signedOut, '/login');
  await signedOut.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: '日本語' }).click();
  await expect(signedOut.getByRole('heading', { name: 'Provisioにサインイン' })).toBeVisible();
  await signedOut.getByRole('navigation', { name: '言語' }).getByRole('link', { name: 'Français' }).click();
  await expect(signedOut.getByRole('heading', { name: 'Se connecter à Provisio' })).toBeVisible();
  await signedOut.close();
});

// The help pages' words (../shared/seeds), as an admin reads them beside the portal.
const SEED_WORDS = {
  en: { audit: 'Audit Trail', suspended: 'Suspended', edit: 'Edit Settings', save: 'Save Changes', add: '+ Add Custom Attribute', renew: 'Renew' },
  ja: { audit: '監査トライアル', suspended: '停止中', edit: '設定の編集', save: '変更の保存', add: '+カスタム属性を追加', renew: '更新' },
  fr: { audit: 'Historique des audits', suspended: 'Suspendu', edit: 'Modifier les paramètres', save: 'Enregistrer les modifications', add: 'Ajouter un attribut personnalisé', renew: 'Renouvellement' },
};

for (const language of LANGUAGES) {
  test(`the seeds' words in ${language}: audit trail, suspended, Edit Settings and its steps`, async ({ page }) => {
    const words = SEED_WORDS[language];
    await signedIn(page);
    await useLanguage(page, language);
    await open(page, '/users?status=suspended');
    await expect(page.locator('.badge.off').first()).toHaveText(words.suspended);
    await expect(page.locator('.sidebar').getByRole('link', { name: words.audit })).toBeVisible();
    await open(page, '/admin/identity/provisioning/entra');
    await page.getByRole('button', { name: words.edit }).click();
    await expect(page.getByRole('button', { name: words.save })).toBeVisible();
    await expect(page.getByRole('button', { name: words.add })).toBeVisible();
    await expect(page.locator('table.data select option', { hasText: words.renew }).first()).toBeAttached();
  });
}

test('the provisioning log names each user and group, sets expected answers apart, and speaks the page language', async ({ page, request }) => {
  const scim = entraScim(request);
  const userName = `conflict.${Date.now().toString(36)}@contoso.com`;
  await scim.post('/Users', entraUser(userName));
  const again = await request.post('/scim/v2/entra/Users', {
    headers: { Authorization: `Bearer ${sharedEntraToken()}`, 'Content-Type': 'application/scim+json' },
    data: entraUser(userName),
  });
  expect(again.status()).toBe(409);
  expect((await scim.get('/Users/no-such-user-at-all')).status()).toBe(404);

  await signedIn(page);
  // The log is written beside the response, so the page may be a moment behind it.
  const lastErrors = page.locator('section[aria-labelledby="stage-heading"] .request');
  await expect(async () => {
    await open(page, '/admin/identity/provisioning/entra');
    await expect(withStatus(lastErrors.filter({ hasText: userName }), 409)).toHaveCount(1, { timeout: 1000 });
  }).toPass();
  await expect(lastErrors.filter({ hasText: 'no-such-user-at-all' })).toHaveCount(0);
  await expect(lastErrors.first()).toContainText('Needs attention');

  await useLanguage(page, 'ja');
  await open(page, '/admin/identity/provisioning-log?idp=entra');
  const conflict = withStatus(page.locator('.request').filter({ hasText: userName }), 409);
  await expect(conflict.locator('summary')).toContainText('要対応');
  await expect(conflict.locator('summary')).toContainText('既に存在します: この名前は使用されています');
  await conflict.locator('summary').click();
  await expect(conflict.locator('pre').first()).toContainText(`{\n  "schemas": [`);
  await expect(conflict).toContainText('uniqueness: ');
  const gone = page.locator('.request').filter({ hasText: 'GET /scim/v2/entra/Users/no-such-user-at-all' });
  await expect(gone).toHaveClass(/expected/);
  await expect(gone.locator('summary')).toContainText('想定どおり');
  await expect(gone.locator('summary')).toContainText('見つかりません: 既に削除されたか、存在しません');
  // Every entry about a user or group names it.
  const created = withStatus(page.locator('.request').filter({ hasText: `POST /scim/v2/entra/Users` }), 201).first();
  await expect(created.locator('.resource-name')).not.toBeEmpty();
});

test('the audit trail names the attribute, details the new administrator, and reads in the page language', async ({ page }) => {
  await signedIn(page);
  await open(page, '/admin/identity/provisioning/okta');
  await page.getByRole('button', { name: 'Edit Settings' }).click();
  const add = page.getByRole('form', { name: 'Add a custom attribute' });
  await add.getByLabel('Attribute name').fill('floorNumber');
  await add.getByRole('button', { name: '+ Add Custom Attribute' }).click();
  await expect(page.getByRole('list', { name: 'Custom attributes' }).getByText('floorNumber')).toBeVisible();

  await open(page, '/audit');
  await expect(page.getByRole('row', { name: new RegExp(`Custom attribute added\\s+${ADMIN.username}\\s+floorNumber \\(Okta\\)`) })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(`Administrator created\\s+${ADMIN.username}\\s+${ADMIN.username}, the first administrator`) })).toBeVisible();
  await useLanguage(page, 'fr');
  await open(page, '/audit');
  await expect(page.getByRole('heading', { name: 'Historique des audits', level: 1 })).toBeVisible();
  await expect(page.getByRole('row', { name: /Administrateur créé/ }).first()).toContainText(`${ADMIN.username}, premier administrateur, configuré avec le code à usage unique`);
  await useLanguage(page, 'ja');
  await open(page, '/audit');
  await expect(page.getByRole('row', { name: /管理者が作成されました/ }).first()).toContainText(`${ADMIN.username} (最初の管理者、ワンタイム コードでセットアップ)`);
});
