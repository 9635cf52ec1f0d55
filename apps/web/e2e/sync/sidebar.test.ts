import type { Page } from 'playwright-core';
import { beforeAll, expect, inject, test } from 'vitest';
import { setupBrowser } from '../support/browser.ts';
import { createSpace, guests, myBeingId, post, uniqueSuffix } from '../support/people.ts';

/**
 * The rail is live from the directory and each person's own stream: names, membership and unread counts
 * change on the other person's screen without a reload. One app, one Chromium for the whole file.
 */
const baseUrl = inject('baseUrl');
const browser = setupBrowser();
const person = guests(browser, baseUrl);
const poll = { timeout: 30_000, interval: 200 };
const suffix = uniqueSuffix();
// The same two people through the whole file: signing in is the slow part.
let ada: Page;
let bob: Page;
beforeAll(async () => {
  [ada, bob] = await Promise.all([person(`Ada ${suffix}`), person(`Bob ${suffix}`)]);
});

function rail(page: Page) {
  return page.getByRole('navigation', { name: 'Spaces' });
}

function railLink(page: Page, name: string) {
  return rail(page).getByRole('link', { name: new RegExp(name) });
}

/** The unread count the rail shows beside a space, or null when it shows none. */
async function unread(page: Page, name: string): Promise<string | null> {
  const badge = railLink(page, name).getByTestId('unread');
  return (await badge.count()) === 0 ? null : badge.textContent();
}

test('a space renamed by someone else takes its new name in the rail of a person looking elsewhere', async () => {
  const spaceId = `@corner-${suffix}`;
  await createSpace(bob, baseUrl, { name: `Corner ${suffix}`, id: spaceId, visibility: 'public' });
  await railLink(ada, `Corner ${suffix}`).waitFor();

  await bob.goto(`${baseUrl}/being/${spaceId}/edit`);
  await bob.getByLabel('Name', { exact: true }).fill(`Nook ${suffix}`);
  await bob.getByRole('button', { name: 'Save', exact: true }).click();
  await bob.waitForURL(new RegExp(`/being/(@|%40)corner-${suffix}$`));

  await expect.poll(() => railLink(ada, `Nook ${suffix}`).count(), poll).toBe(1);
  await expect(railLink(ada, `Corner ${suffix}`).count()).resolves.toBe(0);
});

test('added to a private space, it appears in the rail; removed, it goes — no reload', async () => {
  const bobId = await myBeingId(bob);
  const spaceId = `@den-${suffix}`;
  await createSpace(ada, baseUrl, { name: `Den ${suffix}`, id: spaceId, visibility: 'private' });
  await rail(bob).getByRole('link').first().waitFor();
  await expect(railLink(bob, `Den ${suffix}`).count()).resolves.toBe(0);

  await ada.goto(`${baseUrl}/being/${spaceId}/edit`);
  const members = ada.getByRole('region', { name: 'Members' });
  await members.getByLabel('Address of the member to add').fill(bobId.slice(1));
  await members.getByRole('button', { name: 'Add member' }).click();
  await members.getByRole('list', { name: 'Members' }).getByText(bobId).waitFor();
  await expect.poll(() => railLink(bob, `Den ${suffix}`).count(), poll).toBe(1);

  await members.getByRole('button', { name: `Remove Bob ${suffix}` }).click();
  await expect.poll(() => railLink(bob, `Den ${suffix}`).count(), poll).toBe(0);
});

test('messages in a space one is not looking at show as unread; opening it clears them in every tab', async () => {
  const spaceId = `@hall-${suffix}`;
  await createSpace(ada, baseUrl, { name: `Hall ${suffix}`, id: spaceId, visibility: 'public' });
  await bob.goto(`${baseUrl}/being/${spaceId}`);
  // Ada looks elsewhere (her profile) in two tabs.
  await ada.goto(`${baseUrl}/being/${await myBeingId(ada)}`);
  const adaAgain = await ada.context().newPage();
  await adaAgain.goto(ada.url());
  await railLink(adaAgain, `Hall ${suffix}`).waitFor();
  expect(await unread(ada, `Hall ${suffix}`)).toBeNull();

  await post(bob, `first ${suffix}`);
  await post(bob, `second ${suffix}`);
  await expect.poll(() => unread(ada, `Hall ${suffix}`), poll).toBe('2 unread');
  await expect.poll(() => unread(adaAgain, `Hall ${suffix}`), poll).toBe('2 unread');

  await railLink(ada, `Hall ${suffix}`).click();
  await ada.waitForURL(new RegExp(`/being/(@|%40)hall-${suffix}$`));
  await ada.getByRole('log', { name: 'Messages' }).getByText(`second ${suffix}`).waitFor();
  await expect.poll(() => unread(adaAgain, `Hall ${suffix}`), poll).toBeNull();
  // Back elsewhere, the cleared count stays cleared, and a new message counts from there.
  await ada.goto(`${baseUrl}/being/${await myBeingId(ada)}`);
  await post(bob, `third ${suffix}`);
  await expect.poll(() => unread(ada, `Hall ${suffix}`), poll).toBe('1 unread');
  await expect.poll(() => unread(adaAgain, `Hall ${suffix}`), poll).toBe('1 unread');
});
