import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, expect, inject, test } from 'vitest';
import { setupBrowser } from '../support/browser.ts';
import { continueAsGuest, createSpace, uniqueSuffix } from '../support/people.ts';

/**
 * Presence that leaves: a closed tab or a page navigated away from disappears from the other person's
 * list at once, not after the SFU's 30 s resume window (which a lost network still gets).
 */
const baseUrl = inject('baseUrl');
const browser = setupBrowser();
const contexts: BrowserContext[] = [];
const poll = { timeout: 30_000, interval: 100 };
/** Far below the resume window: a leave that did not arrive would take 30 s. */
const leavePoll = { timeout: 10_000, interval: 100 };

afterAll(async () => {
  for (const context of contexts) await context.close();
});

async function person(name: string): Promise<Page> {
  const context = await browser().newContext();
  contexts.push(context);
  const page = await context.newPage();
  await continueAsGuest(page, baseUrl, name);
  return page;
}

const online = (page: Page) =>
  page.getByRole('list', { name: 'Beings in this space' }).getByTitle('Here now');
const hereCount = (page: Page) => page.getByRole('status').filter({ hasText: /Live/ }).textContent();

test('a closed tab and a page navigated away leave the other person’s list at once', async () => {
  const suffix = uniqueSuffix();
  const ada = await person(`Ada ${suffix}`);
  const spaceId = `@leave-${suffix}`;
  await createSpace(ada, baseUrl, { name: `Leave ${suffix}`, id: spaceId, visibility: 'public' });
  const bob = await person(`Bob ${suffix}`);

  for (const how of ['close', 'navigate'] as const) {
    const tab = await bob.context().newPage();
    await tab.goto(`${baseUrl}/being/${spaceId}`);
    await expect.poll(() => online(ada).count(), poll).toBe(2);
    await expect.poll(() => hereCount(ada), poll).toContain('2 here');
    const started = Date.now();
    if (how === 'close') await tab.close();
    else await tab.goto('about:blank');
    await expect.poll(() => online(ada).count(), leavePoll).toBe(1);
    await expect.poll(() => hereCount(ada), leavePoll).toContain('1 here');
    console.info(`presence: Bob's ${how} reached Ada after ${Date.now() - started} ms`);
    if (how === 'navigate') await tab.close();
  }
}, 180_000);
