import { mkdirSync } from 'node:fs';
import { expect, inject, test } from 'vitest';
import { setupBrowser } from './support/browser.ts';
import { continueAsGuest, createSpace, messageLog, post, signUp, uniqueSuffix } from './support/people.ts';

const baseUrl = inject('baseUrl');
const browser = setupBrowser();

test('a person signs up, creates a private space, posts, and still sees the post after a reload', async () => {
  const context = await browser().newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const suffix = uniqueSuffix();
  await signUp(page, baseUrl, {
    name: 'Ada Lovelace',
    email: `ada-${suffix}@example.com`,
    password: 'analytical-engine',
  });

  const spaceId = `@notes-${suffix}`;
  await createSpace(page, baseUrl, { name: 'Engine notes', id: spaceId, visibility: 'private' });
  // The URL changes before the new page has necessarily rendered: read the heading until it shows.
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Engine notes');

  const text = `The engine weaves algebraic patterns ${suffix}`;
  await post(page, text);
  // Opening the page asks the server for this page only: no route of the rail's, the brand's or the list's
  // links is prefetched (each would be one more server render as every page opens).
  const prefetched: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).searchParams.has('_rsc')) prefetched.push(request.url());
  });
  await page.reload();
  await messageLog(page).getByText(text).waitFor();
  // The author is named next to the post, and the space appears in the rail.
  await expect(messageLog(page).getByRole('link', { name: 'Ada Lovelace' }).count()).resolves.toBeGreaterThan(
    0,
  );
  // The rail follows its own stream, which may load after the space's messages show.
  await expect
    .poll(
      () =>
        page
          .getByRole('navigation', { name: 'Spaces' })
          .getByRole('link', { name: /Engine notes/ })
          .count(),
      { timeout: 30_000, interval: 200 },
    )
    .toBe(1);
  // Next.js prefetches a link once it is in view and the page is idle, and again on hover.
  await page.waitForLoadState('networkidle');
  await page
    .getByRole('navigation', { name: 'Spaces' })
    .getByRole('link', { name: /Engine notes/ })
    .hover();
  await page.getByRole('link', { name: 'rhizom' }).hover();
  await page.waitForLoadState('networkidle');
  expect(prefetched).toEqual([]);

  mkdirSync('test-results', { recursive: true });
  await page.screenshot({ path: 'test-results/space-page.png' });
  await context.close();
});

test('a second person cannot see someone else’s private space', async () => {
  const owner = await browser().newContext();
  const ownerPage = await owner.newPage();
  const suffix = uniqueSuffix();
  await signUp(ownerPage, baseUrl, {
    name: 'Owner',
    email: `owner-${suffix}@example.com`,
    password: 'owner-password',
  });
  const spaceId = `@secret-${suffix}`;
  await createSpace(ownerPage, baseUrl, { name: 'Secret plans', id: spaceId, visibility: 'private' });
  const secret = `only for the owner ${suffix}`;
  await post(ownerPage, secret);

  const other = await browser().newContext();
  const otherPage = await other.newPage();
  await signUp(otherPage, baseUrl, {
    name: 'Other',
    email: `other-${suffix}@example.com`,
    password: 'other-password',
  });
  await otherPage.goto(`${baseUrl}/being/${spaceId}`);
  await otherPage.getByRole('alert').getByText('Nothing here').waitFor();
  const body = await otherPage.locator('body').textContent();
  expect(body).not.toContain(secret);
  expect(body).not.toContain('Secret plans');
  await expect(otherPage.getByRole('log', { name: 'Messages' }).count()).resolves.toBe(0);

  await owner.close();
  await other.close();
});

test('a space’s page asks for its snapshot while LiveKit’s code is still on its way, and only once', async () => {
  const context = await browser().newContext();
  const page = await context.newPage();
  const suffix = uniqueSuffix();
  await continueAsGuest(page, baseUrl, 'Early reader');
  const spaceId = `@early-${suffix}`;
  await createSpace(page, baseUrl, { name: 'Early snapshot', id: spaceId, visibility: 'public' });
  const text = `Shown from the early snapshot ${suffix}`;
  await post(page, text);

  // livekit-client's chunk (the one naming LiveKit's signal messages) is held until the snapshot was asked for.
  let releaseLiveKit = () => {};
  const liveKitHeld = new Promise<void>((resolve) => {
    releaseLiveKit = resolve;
  });
  let liveKitAsked = false;
  await page.route('**/_next/static/chunks/*.js', async (route) => {
    const response = await route.fetch();
    const body = await response.body();
    if (body.includes('livekit.SignalRequest')) {
      liveKitAsked = true;
      await liveKitHeld;
    }
    await route.fulfill({ response, body });
  });
  const snapshots: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    const procedures = url.pathname.split('/').pop()?.split(',') ?? [];
    const input = JSON.parse(url.searchParams.get('input') ?? '{}') as Record<
      string,
      { json?: { spaceId?: string } }
    >;
    procedures.forEach((procedure, index) => {
      if (procedure === 'sync.snapshot') snapshots.push(input[index]?.json?.spaceId ?? '');
    });
  });
  await page.reload();
  await expect.poll(() => snapshots.includes(spaceId), { timeout: 30_000 }).toBe(true);
  // The hold is real: the page asked for that chunk, and has not had it.
  await expect.poll(() => liveKitAsked, { timeout: 30_000 }).toBe(true);
  releaseLiveKit();
  await messageLog(page).getByText(text).waitFor();
  await page.waitForLoadState('networkidle');
  expect(snapshots.filter((id) => id === spaceId)).toHaveLength(1);
  await context.close();
});
