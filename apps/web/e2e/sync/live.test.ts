import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, expect, inject, test } from 'vitest';
import { setupBrowser } from '../support/browser.ts';
import { continueAsGuest, createSpace, messageBox, messageLog, uniqueSuffix } from '../support/people.ts';

/**
 * Live sync in the product: the app as `npm start` runs it (embedded SFU, PGlite), two people in two
 * browsers, no reloads anywhere.
 */
const baseUrl = inject('baseUrl');
const browser = setupBrowser();
const contexts: BrowserContext[] = [];
const poll = { timeout: 30_000, interval: 200 };

afterAll(async () => {
  for (const context of contexts) await context.close();
});

async function person(name: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser().newContext();
  contexts.push(context);
  const page = await context.newPage();
  await continueAsGuest(page, baseUrl, name);
  return { context, page };
}

const indicator = (page: Page) =>
  page.getByRole('status').filter({ hasText: /Live|Connecting|Reconnecting|Offline/ });
const online = (page: Page) =>
  page.getByRole('list', { name: 'Beings in this space' }).getByTitle('Here now');

async function send(page: Page, text: string) {
  await messageBox(page).fill(text);
  await messageBox(page).press('Enter');
}

test('two people see each other’s posts live; presence shows both; a second tab does not drop the first', async () => {
  const suffix = uniqueSuffix();
  const ada = await person(`Ada ${suffix}`);
  const spaceId = `@live-${suffix}`;
  await createSpace(ada.page, baseUrl, { name: `Live ${suffix}`, id: spaceId, visibility: 'public' });
  const bob = await person(`Bob ${suffix}`);
  await bob.page.goto(`${baseUrl}/being/${spaceId}`);

  for (const page of [ada.page, bob.page]) {
    await expect.poll(() => indicator(page).textContent(), poll).toContain('Live');
  }

  const fromAda = `hello from Ada ${suffix}`;
  await send(ada.page, fromAda);
  await messageLog(bob.page).getByText(fromAda).waitFor();
  const fromBob = `and hello back from Bob ${suffix}`;
  await send(bob.page, fromBob);
  await messageLog(ada.page).getByText(fromBob).waitFor();

  // Presence: both are here (dots in the beings list; the indicator counts beings, not tabs).
  await expect.poll(() => indicator(ada.page).textContent(), poll).toContain('2 here');
  await expect.poll(() => online(bob.page).count(), poll).toBe(2);

  // Ada opens a second tab of the same space: still two beings, and her first tab stays live.
  const adaTab2 = await ada.context.newPage();
  await adaTab2.goto(`${baseUrl}/being/${spaceId}`);
  await expect.poll(() => indicator(adaTab2).textContent(), poll).toContain('Live');
  const later = `one more from Bob ${suffix}`;
  await send(bob.page, later);
  for (const page of [ada.page, adaTab2]) await messageLog(page).getByText(later).waitFor();
  await expect(indicator(ada.page).textContent()).resolves.toContain('Live');
  await expect(indicator(bob.page).textContent()).resolves.toContain('2 here');
  // The server's view of presence, kept from the SFU's signed webhooks, agrees: two beings, three tabs.
  const presence = async () => {
    const input = encodeURIComponent(JSON.stringify({ json: { spaceId } }));
    const response = await fetch(`${baseUrl}/api/trpc/sync.presence?input=${input}`);
    const body = (await response.json()) as { result: { data: { json: { connections: number }[] } } };
    return body.result.data.json.map((entry) => entry.connections).sort();
  };
  await expect.poll(presence, poll).toEqual([1, 2]);
  // Each post appears once in every tab: the optimistic copy was replaced by its event, not added to.
  for (const page of [ada.page, adaTab2, bob.page]) {
    await expect(messageLog(page).getByText(fromAda).count()).resolves.toBe(1);
  }

  // Edits are live too: Ada renames the space from her second tab; Bob's header follows, no reload.
  await adaTab2.goto(`${baseUrl}/being/${spaceId}/edit`);
  await adaTab2.getByLabel('Name', { exact: true }).fill(`Renamed ${suffix}`);
  await adaTab2.getByRole('button', { name: 'Save' }).click();
  await expect
    .poll(() => bob.page.getByRole('heading', { level: 1 }).textContent(), poll)
    .toContain(`Renamed ${suffix}`);
});

test('the LiveKit webhook route refuses a call that LiveKit did not sign', async () => {
  const response = await fetch(`${baseUrl}/api/livekit/webhook`, {
    method: 'POST',
    headers: { authorization: 'not-a-token', 'content-type': 'application/webhook+json' },
    body: JSON.stringify({ event: 'participant_joined', room: { name: '@intraliminal' } }),
  });
  expect(response.status).toBe(401);
  await expect(response.json()).resolves.toMatchObject({ error: expect.stringContaining('Authorization') });
});
