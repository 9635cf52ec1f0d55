import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, expect, inject, test } from 'vitest';
import { setupBrowser } from './support/browser.ts';
import { continueAsGuest, createSpace, messageLog, post, uniqueSuffix } from './support/people.ts';

/** Edit, delete, reply and link: two people in two browsers, every change live for the other. */
const baseUrl = inject('baseUrl');
const browser = setupBrowser();
const contexts: BrowserContext[] = [];
const poll = { timeout: 30_000, interval: 200 };

afterAll(async () => {
  for (const context of contexts) await context.close();
});

async function person(name: string): Promise<Page> {
  const context = await browser().newContext();
  contexts.push(context);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  const page = await context.newPage();
  await continueAsGuest(page, baseUrl, name);
  return page;
}

/** The first (oldest) message showing `text`: a reply quoting it comes later. */
const message = (page: Page, text: string) =>
  messageLog(page).getByRole('article').filter({ hasText: text }).first();

async function act(page: Page, text: string, action: 'Reply' | 'Copy link' | 'Edit' | 'Delete') {
  const article = message(page, text);
  await article.hover();
  await article
    .getByRole('toolbar', { name: 'Message actions' })
    .getByRole('button', { name: action })
    .click();
}

test('edit, reply, link and delete reach the other person live', async () => {
  const suffix = uniqueSuffix();
  const ada = await person(`Ada ${suffix}`);
  const spaceId = `@actions-${suffix}`;
  await createSpace(ada, baseUrl, { name: `Actions ${suffix}`, id: spaceId, visibility: 'public' });
  const bob = await person(`Bob ${suffix}`);
  await bob.goto(`${baseUrl}/being/${spaceId}`);

  const original = `Lunch at noon ${suffix}`;
  await post(ada, original);
  await message(bob, original).waitFor();

  // Ada edits her message: Bob's copy changes in place and says it was edited.
  await act(ada, original, 'Edit');
  const editBox = ada.getByRole('textbox', { name: 'Edit message' });
  const edited = `Lunch at one ${suffix}`;
  await editBox.fill(edited);
  await editBox.press('Enter');
  await message(bob, edited).getByText('(edited)').waitFor();
  await expect.poll(() => messageLog(bob).getByText(original).count(), poll).toBe(0);

  // Bob may reply and copy a link, but not edit or delete Ada's message.
  const bobsTools = message(bob, edited).getByRole('toolbar', { name: 'Message actions' });
  await message(bob, edited).hover();
  await expect(bobsTools.getByRole('button', { name: 'Edit' }).count()).resolves.toBe(0);
  await expect(bobsTools.getByRole('button', { name: 'Delete' }).count()).resolves.toBe(0);

  // Bob replies: the reply shows Ada's message quoted above it, for both of them.
  await act(bob, edited, 'Reply');
  await bob.getByText(`Replying to Ada ${suffix}`).waitFor();
  const answer = `I will be there ${suffix}`;
  await post(bob, answer);
  for (const page of [ada, bob]) {
    const quote = message(page, answer).getByRole('button', { name: `Reply to Ada ${suffix}` });
    await expect.poll(() => quote.textContent(), poll).toContain(edited);
  }

  // A link to Ada's message opens the space at it, highlighted, even below a screenful of later messages.
  for (let i = 0; i < 15; i++) await post(ada, `filler ${i} ${suffix}`);
  await act(ada, edited, 'Copy link');
  await message(ada, edited).getByText('Link copied').waitFor();
  const link = await ada.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(new RegExp(`/being/${spaceId}\\?message=`));
  const reader = await bob.context().newPage();
  await reader.goto(link);
  const target = reader.locator('article[aria-current="location"]');
  await expect.poll(() => target.textContent(), poll).toContain(edited);
  await expect
    .poll(
      () =>
        target.evaluate((el) => {
          const box = el.getBoundingClientRect();
          const log = el.closest('[role="log"]')?.getBoundingClientRect();
          return Boolean(log) && box.top >= (log?.top ?? 0) && box.bottom <= (log?.bottom ?? 0);
        }),
      poll,
    )
    .toBe(true);
  await reader.close();

  // Ada owns the space: she deletes Bob's reply and then her own message; both vanish for Bob.
  await act(ada, answer, 'Delete');
  await message(ada, answer).getByRole('button', { name: 'Delete' }).click();
  await act(ada, edited, 'Delete');
  await message(ada, edited).getByRole('button', { name: 'Delete' }).click();
  for (const text of [answer, edited]) {
    await expect.poll(() => message(bob, text).count(), poll).toBe(0);
  }
  await expect(messageLog(bob).getByText(`filler 14 ${suffix}`).count()).resolves.toBe(1);
}, 240_000);
