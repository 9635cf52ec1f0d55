import { expect, inject, test } from 'vitest';
import { setupBrowser } from './support/browser.ts';
import { continueAsGuest, createSpace, signUp, uniqueSuffix } from './support/people.ts';

const baseUrl = inject('baseUrl');
const browser = setupBrowser();

test('the owner edits a space; someone else can only visit it and move between spaces', async () => {
  const suffix = uniqueSuffix();
  const spaceId = `@garden-${suffix}`;
  const owner = await browser().newContext();
  const ownerPage = await owner.newPage();
  await signUp(ownerPage, baseUrl, {
    name: 'Gardener',
    email: `gardener-${suffix}@example.com`,
    password: 'green-fingers',
  });
  await createSpace(ownerPage, baseUrl, { name: 'Garden', id: spaceId, visibility: 'public' });

  await ownerPage.getByRole('link', { name: 'Edit space' }).click();
  await ownerPage.waitForURL(/\/edit$/);
  await ownerPage.getByLabel('Description').fill('Seeds and **roots**, shared.');
  await ownerPage.getByRole('button', { name: 'Save' }).click();
  await ownerPage.waitForURL(new RegExp(`/being/(@|%40)garden-${suffix}$`));
  // The description is Markdown: it renders with emphasis at the top of the space's history.
  await ownerPage
    .getByRole('region', { name: 'About Garden' })
    .locator('strong', { hasText: 'roots' })
    .waitFor();

  const visitor = await browser().newContext();
  const page = await visitor.newPage();
  await continueAsGuest(page, baseUrl, `Visitor ${suffix}`);
  // The URL may carry the @ percent-encoded; it names the same space.
  await page.goto(`${baseUrl}/being/%40garden-${suffix}`);
  await page.getByRole('heading', { level: 1, name: /Garden/ }).waitFor();
  await expect(page.getByRole('link', { name: 'Edit space' }).count()).resolves.toBe(0);
  await page.goto(`${baseUrl}/being/${spaceId}/edit`);
  await page.getByText('Only the owner can edit this').waitFor();

  const rail = page.getByRole('navigation', { name: 'Spaces' });
  await rail.getByRole('link', { name: /Garden/ }).click();
  await page.waitForURL(new RegExp(`/being/(@|%40)garden-${suffix}$`));
  await page.getByRole('heading', { level: 1, name: /Garden/ }).waitFor();
  await rail.getByRole('link', { name: /intraliminal/ }).click();
  await page.waitForURL(/\/being\/(@|%40)intraliminal$/);
  await page.getByRole('heading', { level: 1, name: /intraliminal/ }).waitFor();
  await expect
    .poll(() => rail.getByRole('link', { name: /intraliminal/ }).getAttribute('aria-current'))
    .toBe('page');

  await owner.close();
  await visitor.close();
});

test('a description too large for sync (it travels as a ref) still shows in full, to its owner live and to a visitor', async () => {
  const suffix = uniqueSuffix();
  const spaceId = `@archive-${suffix}`;
  const owner = await browser().newContext();
  const ownerPage = await owner.newPage();
  await signUp(ownerPage, baseUrl, {
    name: 'Archivist',
    email: `archivist-${suffix}@example.com`,
    password: 'dusty-shelves',
  });
  await createSpace(ownerPage, baseUrl, { name: 'Archive', id: spaceId, visibility: 'public' });
  // Over the 16 KB a being's content may take inline in sync events and snapshots.
  const long = `${'Shelf after shelf of old letters. '.repeat(800)}\n\nThe last line is **kept whole**.`;
  await ownerPage.getByRole('link', { name: 'Edit space' }).click();
  await ownerPage.waitForURL(/\/edit$/);
  await ownerPage.getByLabel('Description').fill(long);
  await ownerPage.getByRole('button', { name: 'Save' }).click();
  await ownerPage.waitForURL(new RegExp(`/being/(@|%40)archive-${suffix}$`));
  const about = (page: typeof ownerPage) =>
    page.getByRole('region', { name: 'About Archive' }).locator('strong', { hasText: 'kept whole' });
  await about(ownerPage).waitFor();

  const visitor = await browser().newContext();
  const page = await visitor.newPage();
  await page.goto(`${baseUrl}/being/${spaceId}`);
  await about(page).waitFor();

  await owner.close();
  await visitor.close();
});
