import { launchChromiumServer } from '@rhizom/testing';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, expect, inject, test } from 'vitest';
import { setupBrowser } from '../support/browser.ts';
import { freezeBrowser } from '../support/frozen-browser.ts';
import {
  beingRow,
  continueAsGuest,
  createSpace,
  messageBox,
  messageLog,
  uniqueSuffix,
} from '../support/people.ts';

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

test('two people see each other’s posts live; presence shows both; a second tab does not drop the first; joins show in others’ member counts', async () => {
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

  // Membership is live: Bob joins, and the member count in Ada's open headers follows; then he leaves.
  const beingCount = async (page: Page) =>
    Number((await page.getByText(/^\d+ beings?$/).textContent())?.split(' ')[0]);
  const members = await beingCount(ada.page);
  await bob.page.getByRole('button', { name: 'Join' }).click();
  for (const page of [ada.page, adaTab2]) await expect.poll(() => beingCount(page), poll).toBe(members + 1);
  await bob.page.getByRole('button', { name: 'Leave' }).click();
  for (const page of [ada.page, adaTab2]) await expect.poll(() => beingCount(page), poll).toBe(members);

  // Edits are live too: Ada renames the space from her second tab; Bob's header follows, no reload.
  await adaTab2.goto(`${baseUrl}/being/${spaceId}/edit`);
  await adaTab2.getByLabel('Name', { exact: true }).fill(`Renamed ${suffix}`);
  await adaTab2.getByRole('button', { name: 'Save' }).click();
  await expect
    .poll(() => bob.page.getByRole('heading', { level: 1 }).textContent(), poll)
    .toContain(`Renamed ${suffix}`);
});

/**
 * Someone gone must leave the others' lists on their own leave, never on a timeout. The bound sits below
 * every timeout that could otherwise remove them — the 5 s grace a route change used to keep, the SFU's
 * 15 s ping timeout and 30 s resume window — so it fails when the leave stops arriving, but not when a
 * starved CPU delays a leave that did arrive. The product's 2 s is the figure logged below (150–600 ms on
 * a quiet machine); tests do not assert wall-clock speed.
 */
const gone = { timeout: 4_000, interval: 50 };

test('someone who moves to another space or closes the tab leaves the others’ presence on their leave, not a timeout', async () => {
  const suffix = uniqueSuffix();
  const ada = await person(`Ada ${suffix}`);
  const spaceId = `@leave-${suffix}`;
  await createSpace(ada.page, baseUrl, { name: `Leave ${suffix}`, id: spaceId, visibility: 'public' });
  const bobName = `Bob ${suffix}`;
  const bob = await person(bobName);
  const bobHere = () => beingRow(ada.page, bobName).getByTitle('Here now').count();
  const arrive = async (page: Page) => {
    await page.goto(`${baseUrl}/being/${spaceId}`);
    await expect.poll(bobHere, poll).toBe(1);
    await expect.poll(() => indicator(ada.page).textContent(), poll).toContain('2 here');
  };

  // Bob opens the space in a second tab and closes it, as a person closes a tab (unload handlers run).
  const tab = await bob.context.newPage();
  await arrive(tab);
  let left = Date.now();
  await tab.close({ runBeforeUnload: true });
  await expect.poll(bobHere, gone).toBe(0);
  console.info(`presence: a closed tab was seen by the other person after ${Date.now() - left} ms`);
  await expect(indicator(ada.page).textContent()).resolves.toContain('1 here');

  // Then Bob follows a link in the rail to another space: a route change inside the app, no page unload.
  await arrive(bob.page);
  left = Date.now();
  await bob.page.locator('nav[aria-label="Spaces"] li a:not([aria-current="page"])').first().click();
  await expect.poll(bobHere, gone).toBe(0);
  console.info(`presence: a route change away was seen by the other person after ${Date.now() - left} ms`);
  await expect(indicator(ada.page).textContent()).resolves.toContain('1 here');
}, 240_000);

/**
 * A lost network sends nothing at all: no leave, no close. Bob's whole browser is frozen (every process
 * stopped, WebRTC included), which is what the others see of a lost network. He must leave Ada's list on
 * the silence of his heartbeats — within the same 4 s bound, far below the SFU's 15 s ping timeout and the
 * 30 s resume window after it — and come back when his network does: the freeze outlasts the ping
 * timeout, so the SFU closed his signal connection meanwhile and his page joins afresh (the sync client
 * does not use livekit-client's reconnects), with one new token at most; his old, silent identity stays
 * out of the list while the SFU holds it.
 */
test('someone whose network is lost leaves the others’ presence on the silence of their heartbeats, and comes back with it', async () => {
  const suffix = uniqueSuffix();
  const ada = await person(`Ada ${suffix}`);
  const spaceId = `@lost-${suffix}`;
  await createSpace(ada.page, baseUrl, { name: `Lost ${suffix}`, id: spaceId, visibility: 'public' });
  const server = await launchChromiumServer();
  const thawAll: (() => void)[] = [];
  try {
    const bobBrowser = await chromium.connect(server.wsEndpoint());
    const bobName = `Bob ${suffix}`;
    const bobPage = await (await bobBrowser.newContext()).newPage();
    await continueAsGuest(bobPage, baseUrl, bobName);
    await bobPage.goto(`${baseUrl}/being/${spaceId}`);
    const bobHere = () => beingRow(ada.page, bobName).getByTitle('Here now').count();
    await expect.poll(bobHere, poll).toBe(1);
    await expect.poll(() => indicator(ada.page).textContent(), poll).toContain('2 here');
    // Past the 3 s grace a newcomer has for its first heartbeat, Bob stays on his heartbeats alone,
    // without a flicker.
    for (const until = Date.now() + 3_500; Date.now() < until; ) {
      expect(await bobHere()).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    let tokens = 0;
    bobPage.on('request', (request) => {
      if (request.url().includes('livekit.getJoinToken') && request.postData()?.includes(spaceId)) tokens++;
    });

    const pid = server.process().pid;
    if (pid === undefined) throw new Error('the browser server has no process');
    const lost = Date.now();
    const thaw = freezeBrowser(pid);
    thawAll.push(thaw);
    await expect.poll(bobHere, gone).toBe(0);
    console.info(`presence: a lost network was seen by the other person after ${Date.now() - lost} ms`);
    await expect(indicator(ada.page).textContent()).resolves.toContain('1 here');

    // Past the SFU's 15 s ping timeout (measured from Bob's last ping, at most 5 s before the freeze).
    await new Promise((resolve) => setTimeout(resolve, 16_000 - (Date.now() - lost)));
    const back = Date.now();
    thaw();
    await expect.poll(bobHere, { timeout: 15_000, interval: 50 }).toBe(1);
    console.info(`presence: a returned network brought the person back after ${Date.now() - back} ms`);
    // His first beats may come over the old connection before it ends and he joins afresh: he may be out
    // for that moment (logged); then he is here once, live, after at most one new token.
    let absent = 0;
    for (const until = Date.now() + 3_000; Date.now() < until; ) {
      if ((await bobHere()) === 0) absent += 100;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    console.info(
      `presence: during the rejoin that followed, the person was out for about ${absent} ms (${tokens} new token)`,
    );
    await expect.poll(() => indicator(bobPage).textContent(), poll).toContain('Live');
    await expect.poll(bobHere, gone).toBe(1);
    await expect.poll(() => indicator(ada.page).textContent(), gone).toContain('2 here');
    expect(tokens).toBeLessThanOrEqual(1);
  } finally {
    for (const thaw of thawAll) thaw();
    await server.close();
  }
}, 120_000);

test('the LiveKit webhook route refuses a call that LiveKit did not sign', async () => {
  const response = await fetch(`${baseUrl}/api/livekit/webhook`, {
    method: 'POST',
    headers: { authorization: 'not-a-token', 'content-type': 'application/webhook+json' },
    body: JSON.stringify({ event: 'participant_joined', room: { name: '@intraliminal' } }),
  });
  expect(response.status).toBe(401);
  await expect(response.json()).resolves.toMatchObject({ error: expect.stringContaining('Authorization') });
});
