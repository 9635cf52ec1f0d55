import type { BrowserContext } from 'playwright-core';
import { expect, inject, test } from 'vitest';
import { LOG_WINDOW } from '../src/sync/limits.ts';
import { apiGuest, apiMutate, apiPostInTurns } from './support/api.ts';
import { setupBrowser } from './support/browser.ts';
import { messageLog, uniqueSuffix } from './support/people.ts';

/**
 * A space's page is rendered with its newest messages (its snapshot streams into the HTML). Attacked here
 * as an outsider would: every page that must not show a space's messages is fetched raw, scripts and
 * streamed parts included, and must carry none of them.
 */
const baseUrl = inject('baseUrl');
const browser = setupBrowser();

const guest = (name: string) => apiGuest(browser(), baseUrl, name);
const mutate = (context: BrowserContext, path: string, input: unknown) =>
  apiMutate(context, baseUrl, path, input);

/** The page's whole response as the server sent it: status and every byte (markup, scripts, streamed parts). */
async function rawPage(context: BrowserContext, spaceId: string) {
  const response = await context.request.get(`${baseUrl}/being/${spaceId}`);
  return { status: response.status(), body: await response.text() };
}

async function spaceWith(owner: BrowserContext, input: Record<string, unknown>, text: string) {
  const space = (await mutate(owner, 'being.create', { type: 'space', ...input })) as { id: string };
  await mutate(owner, 'intention.createUtterance', { spaceId: space.id, content: text });
  return space.id;
}

test('no page shows a space’s messages to someone who may not see the space', async () => {
  const suffix = uniqueSuffix();
  const owner = await guest(`Owner ${suffix}`);
  const outsider = await guest(`Outsider ${suffix}`);
  const visitor = await browser().newContext();

  const openText = `open words ${suffix}`;
  const open = await spaceWith(owner, { name: `Open ${suffix}` }, openText);
  const privateText = `private words ${suffix}`;
  const hidden = await spaceWith(owner, { name: `Hidden ${suffix}`, visibility: 'private' }, privateText);
  const nestedText = `nested words ${suffix}`;
  const nested = await spaceWith(owner, { name: `Nested ${suffix}`, locationId: hidden }, nestedText);
  const deletedText = `deleted words ${suffix}`;
  const deleted = await spaceWith(owner, { name: `Deleted ${suffix}` }, deletedText);

  // The rule holds on the way in: whoever may see a space gets its messages in the page.
  expect((await rawPage(owner, hidden)).body).toContain(privateText);
  expect((await rawPage(owner, nested)).body).toContain(nestedText);
  expect((await rawPage(outsider, deleted)).body).toContain(deletedText);
  expect((await rawPage(visitor, open)).body).toContain(openText);
  await mutate(owner, 'being.delete', { id: deleted });

  for (const [who, context] of [
    ['a signed-in outsider', outsider],
    ['a signed-out visitor', visitor],
  ] as const) {
    for (const [what, id, text] of [
      ['a private space', hidden, privateText],
      ['a public space inside a private one', nested, nestedText],
      ['a deleted space', deleted, deletedText],
    ] as const) {
      const page = await rawPage(context, id);
      expect(page.status, `${who} opening ${what}`).toBe(404);
      expect(page.body, `${who} opening ${what}`).not.toContain(text);
    }
  }
  for (const context of [owner, outsider, visitor]) await context.close();
});

// The keys come late, and live sync then loads the page's own window and pages the rest in; or asking for
// them fails, and the connection, retrying, loads a whole snapshot. A failed first load used to replace the
// page's rows with an error for the moment the retry took: the reader's place went with them, and the log
// came back following the newest, never paging in what the reader had scrolled up for.
test.each([
  ['arrive late', 'continue'],
  ['fail', 'abort'],
] as const)(
  'a space’s page carries the log’s window of newest messages, and the older ones come when scrolled to (live sync’s keys %s)',
  async (_, keys) => {
    const suffix = uniqueSuffix();
    // Three writers, so no one being's write rate limit slows the seeding.
    const writers = await Promise.all([1, 2, 3].map((i) => guest(`Writer ${i} ${suffix}`)));
    const space = (await mutate(writers[0] as BrowserContext, 'being.create', {
      type: 'space',
      name: `Window ${suffix}`,
    })) as { id: string };
    const note = (i: number) => `Note ${String(i).padStart(3, '0')} of ${suffix}`;
    const total = LOG_WINDOW + 10;
    await apiPostInTurns(
      writers,
      baseUrl,
      space.id,
      Array.from({ length: total }, (_, i) => note(i)),
    );

    const page = await rawPage(writers[0] as BrowserContext, space.id);
    expect(page.status).toBe(200);
    expect(page.body).toContain(note(total - 1));
    expect(page.body).toContain(note(total - LOG_WINDOW));
    expect(page.body).not.toContain(note(total - LOG_WINDOW - 1));
    expect(page.body).not.toContain(note(0));

    // What the page left out is still there for the reader: the log pages it in at the top. Even for a
    // reader who got there while live sync was still loading (its keys held back here), when nothing could
    // be paged in yet, and who then waits at the top without scrolling again.
    const tab = await (writers[1] as BrowserContext).newPage();
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await tab.route(
      (url) => url.pathname.startsWith('/api/trpc/') && url.pathname.includes('sync.keys'),
      async (route) => {
        await held;
        await (keys === 'abort' ? route.abort() : route.continue());
      },
    );
    await tab.goto(`${baseUrl}/being/${space.id}`);
    const log = messageLog(tab);
    await log.getByText(note(total - 1), { exact: true }).waitFor();
    // Hydrated: the log is no longer pinned to its bottom by CSS, and its scroll handler runs.
    await expect.poll(() => log.getAttribute('class')).not.toMatch(/pinned/);
    const oldestInPage = log.getByText(note(total - LOG_WINDOW), { exact: true });
    await expect
      .poll(async () => {
        await log.evaluate((el) => el.scrollTo(0, 0));
        return oldestInPage.count();
      })
      .toBe(1);
    await log.evaluate((el) => el.scrollTo(0, 0));
    await log.getByRole('button', { name: 'Show earlier messages' }).waitFor();
    release();
    await expect.poll(() => log.getByText(note(0), { exact: true }).count(), { timeout: 20_000 }).toBe(1);
    await expect(log.getByText(note(total - LOG_WINDOW - 1), { exact: true }).count()).resolves.toBe(1);

    // Its writer deletes the oldest, which this reader holds only as paged-in history (live sync never held
    // it): it leaves the log live all the same, and alone. The window was anchored at it: it used to slide
    // to the newest then, taking the rows under it away until the next scroll brought them back.
    const oldest = log.locator('article').filter({ hasText: note(0) });
    const oldestId = await oldest.getAttribute('data-intention-id');
    await log.evaluate((el) => {
      const gone: string[] = [];
      new MutationObserver((records) => {
        for (const node of records.flatMap((record) => [...record.removedNodes])) {
          if (!(node instanceof Element)) continue;
          const rows = [...(node.matches('article') ? [node] : []), ...node.querySelectorAll('article')];
          gone.push(...rows.map((row) => row.getAttribute('data-intention-id') ?? ''));
        }
      }).observe(el, { childList: true, subtree: true });
      Object.assign(el, { gone });
    });
    await mutate(writers[0] as BrowserContext, 'intention.remove', { id: oldestId });
    await expect.poll(() => log.getByText(note(0), { exact: true }).count()).toBe(0);
    await expect(log.evaluate((el) => (el as HTMLElement & { gone: string[] }).gone)).resolves.toEqual([
      oldestId,
    ]);
    await expect(log.getByText(note(1), { exact: true }).count()).resolves.toBe(1);
    for (const context of writers) await context.close();
  },
);
