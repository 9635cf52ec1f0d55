import type { BrowserContext } from 'playwright-core';
import { expect, inject, test } from 'vitest';
import { apiGuest, apiMutate, apiPostInTurns } from './support/api.ts';
import { setupBrowser } from './support/browser.ts';
import { continueAsGuest, messageLog, uniqueSuffix } from './support/people.ts';

const baseUrl = inject('baseUrl');
const browser = setupBrowser();

const writer = (name: string) => apiGuest(browser(), baseUrl, name);
const mutate = (context: BrowserContext, path: string, input: unknown) =>
  apiMutate(context, baseUrl, path, input);

test('a long conversation keeps a bounded window of messages in the page and shows earlier ones on scroll', async () => {
  const suffix = uniqueSuffix();
  // Three writers, so no one being's write rate limit slows the seeding.
  const writers = await Promise.all([1, 2, 3].map((i) => writer(`Writer ${i} ${suffix}`)));
  const space = (await mutate(writers[0] as BrowserContext, 'being.create', {
    name: `Long talk ${suffix}`,
    type: 'space',
  })) as { id: string };
  const total = 90;
  const lines = Array.from({ length: total }, (_, i) => `Line ${i} of ${suffix}`);
  await apiPostInTurns(writers, baseUrl, space.id, lines);

  const reader = await browser().newContext({ viewport: { width: 1280, height: 800 } });
  const page = await reader.newPage();
  await continueAsGuest(page, baseUrl, `Reader ${suffix}`);
  await page.goto(`${baseUrl}/being/${space.id}`);
  const log = messageLog(page);
  await log.getByText(`Line ${total - 1} of ${suffix}`, { exact: true }).waitFor();
  // The newest are shown, the oldest are not in the page at all: it holds a window, not the whole history.
  await expect.poll(() => log.getByRole('article').count()).toBeGreaterThanOrEqual(12);
  const rows = await log.getByRole('article').count();
  console.log(`${rows} of ${total} messages in the page`);
  expect(rows).toBeLessThan(total);
  await expect(log.getByText(`Line 0 of ${suffix}`, { exact: true }).count()).resolves.toBe(0);

  // At the top of the window, earlier messages come in above, and the reader's place stays: the row that
  // was first stays where it was on screen (the log scrolls by what came in above it). First the window
  // stops growing (it opens with a few rows and adds more a frame at a time).
  const unchanged = async () => {
    const before = await log.getByRole('article').count();
    await page.waitForTimeout(300);
    return (await log.getByRole('article').count()) === before ? before : -1;
  };
  await expect.poll(unchanged, { timeout: 20_000 }).toBeGreaterThan(0);
  const windowRows = await log.getByRole('article').count();
  const firstId = (await log.getByRole('article').first().getAttribute('data-intention-id')) ?? '';
  // The row's top on screen (in the log's box) and in the log's content.
  const place = () =>
    log.evaluate((el, id) => {
      const row = el.querySelector(`[data-intention-id="${CSS.escape(id)}"]`);
      if (!row) return null;
      const onScreen = row.getBoundingClientRect().top - el.getBoundingClientRect().top;
      return { onScreen: Math.round(onScreen), inContent: Math.round(onScreen + el.scrollTop) };
    }, firstId);
  // Where it shows once the log is scrolled to its top: its place in the log's content.
  const atTop = (await place())?.inContent;
  expect(atTop).toBeTypeOf('number');
  await log.evaluate((el) => el.scrollTo(0, 0));
  await expect.poll(() => log.getByRole('article').count()).toBeGreaterThan(windowRows);
  await expect.poll(async () => (await place())?.onScreen).toBe(atTop);

  // Scrolling up reveals earlier messages, as far as the first.
  await expect
    .poll(
      async () => {
        await log.evaluate((el) => el.scrollTo(0, 0));
        return log.getByText(`Line 0 of ${suffix}`, { exact: true }).count();
      },
      { timeout: 20_000 },
    )
    .toBe(1);
  // Still one row per message: nothing was shown twice.
  await expect(log.getByText(`Line 45 of ${suffix}`, { exact: true }).count()).resolves.toBe(1);
  await reader.close();
  for (const context of writers) await context.close();
});

test('a reader who scrolls up as a message arrives stays where they scrolled to', async () => {
  const suffix = uniqueSuffix();
  const writers = await Promise.all([1, 2, 3].map((i) => writer(`Writer ${i} ${suffix}`)));
  const space = (await mutate(writers[0] as BrowserContext, 'being.create', {
    name: `Busy talk ${suffix}`,
    type: 'space',
  })) as { id: string };
  const lines = Array.from({ length: 30 }, (_, i) => `Line ${i} of ${suffix}`);
  await apiPostInTurns(writers, baseUrl, space.id, lines);

  const reader = await browser().newContext({ viewport: { width: 1280, height: 800 } });
  const page = await reader.newPage();
  await continueAsGuest(page, baseUrl, `Reader ${suffix}`);
  await page.goto(`${baseUrl}/being/${space.id}`);
  const log = messageLog(page);
  // The whole conversation is in the window, and the reader follows its newest message.
  await log.getByText(`Line 0 of ${suffix}`, { exact: true }).waitFor({ state: 'attached' });
  await expect.poll(() => log.getAttribute('class')).not.toMatch(/pinned/);
  const fromBottom = () => log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
  await expect.poll(fromBottom).toBeLessThan(120);

  // The reader scrolls to the top in the very moment a message comes in: right after the log has put it
  // in the page, before the frame that would keep the newest in view.
  const newest = `Line 30 of ${suffix}`;
  await log.evaluate((el, text) => {
    new MutationObserver((records, observer) => {
      const added = records.flatMap((record) => [...record.addedNodes]);
      if (!added.some((node) => node.textContent?.includes(text))) return;
      observer.disconnect();
      el.scrollTo(0, 0);
      Object.assign(el, { scrolled: true });
    }).observe(el, { childList: true, subtree: true });
  }, newest);
  await mutate(writers[1] as BrowserContext, 'intention.createUtterance', {
    spaceId: space.id,
    content: newest,
  });
  await expect.poll(() => log.evaluate((el) => 'scrolled' in el)).toBe(true);
  // Two frames later: the first one's callbacks are where the log would have followed the newest.
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
  await expect(log.evaluate((el) => el.scrollTop)).resolves.toBeLessThan(120);
  await page.getByRole('button', { name: 'New messages ↓' }).waitFor();
  await reader.close();
  for (const context of writers) await context.close();
});
