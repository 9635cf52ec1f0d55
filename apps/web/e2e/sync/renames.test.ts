import type { Page } from 'playwright-core';
import { expect, inject, test } from 'vitest';
import { setupBrowser } from '../support/browser.ts';
import {
  beingRow,
  createSpace,
  guests,
  messageLog,
  myBeingId,
  post,
  uniqueSuffix,
} from '../support/people.ts';

/** Renames are live: the other person sees them on messages, in presence and in the rail, no reload. */
const baseUrl = inject('baseUrl');
const browser = setupBrowser();
const person = guests(browser, baseUrl);
const poll = { timeout: 30_000, interval: 200 };

async function rename(page: Page, beingId: string, name: string) {
  const editor = await page.context().newPage();
  await editor.goto(`${baseUrl}/being/${beingId}/edit`);
  await editor.getByLabel('Name', { exact: true }).fill(name);
  await editor.getByRole('button', { name: 'Save' }).click();
  await editor.waitForURL(new RegExp(`/being/(@|%40)${beingId.slice(1)}$`));
  await editor.close();
}

test('a person’s rename and a space’s rename reach the other person live', async () => {
  const suffix = uniqueSuffix();
  const ada = await person(`Ada ${suffix}`);
  const spaceId = `@renames-${suffix}`;
  await createSpace(ada, baseUrl, { name: `Before ${suffix}`, id: spaceId, visibility: 'public' });
  const bob = await person(`Bob ${suffix}`);
  const bobId = await myBeingId(bob);
  await bob.goto(`${baseUrl}/being/${spaceId}`);
  const fromBob = `a message from Bob ${suffix}`;
  await post(bob, fromBob);
  await messageLog(ada).getByText(fromBob).waitFor();
  await expect.poll(() => beingRow(ada, `Bob ${suffix}`).getByTitle('Here now').count(), poll).toBe(1);

  // Bob renames himself (in another tab, so he stays here): Ada sees the new name on his message and in
  // the list of who is here.
  await rename(bob, bobId, `Robert ${suffix}`);
  const bobsMessage = messageLog(ada).getByRole('article').filter({ hasText: fromBob });
  await expect
    .poll(() => bobsMessage.getAttribute('aria-label'), poll)
    .toMatch(new RegExp(`^Robert ${suffix}`));
  await expect.poll(() => beingRow(ada, `Robert ${suffix}`).getByTitle('Here now').count(), poll).toBe(1);
  await expect(beingRow(ada, `Bob ${suffix}`).count()).resolves.toBe(0);

  // Ada renames the space: Bob's rail follows, not only the header.
  await rename(ada, spaceId, `After ${suffix}`);
  const rail = bob.getByRole('navigation', { name: 'Spaces' });
  await expect.poll(() => rail.getByText(`After ${suffix}`).count(), poll).toBe(1);
  await expect(rail.getByText(`Before ${suffix}`).count()).resolves.toBe(0);
});
