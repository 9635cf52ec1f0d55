import type { Page } from 'playwright-core';
import { expect, inject, test } from 'vitest';
import { setupBrowser } from './support/browser.ts';
import { createSpace, guests, messageLog, post, uniqueSuffix } from './support/people.ts';

/** Edit, delete and reply: two people in two browsers, every change live for the other. */
const baseUrl = inject('baseUrl');
const browser = setupBrowser();
const person = guests(browser, baseUrl);
const poll = { timeout: 30_000, interval: 200 };

/** The first (oldest) message showing `text`: a reply quoting it comes later. */
const message = (page: Page, text: string) =>
  messageLog(page).getByRole('article').filter({ hasText: text }).first();

async function act(page: Page, text: string, action: 'Reply' | 'Edit' | 'Delete') {
  const article = message(page, text);
  await article.hover();
  // Dispatched: the log may scroll under the pointer (new messages, the browser bringing the toolbar into
  // view) and take the hover, and with it the toolbar, away; what is under test is the action itself.
  await article
    .getByRole('toolbar', { name: 'Message actions' })
    .getByRole('button', { name: action })
    .dispatchEvent('click');
}

test('edit, reply and delete reach the other person live', async () => {
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

  // Ada owns the space: she deletes Bob's reply and then her own message; both vanish for Bob.
  await act(ada, answer, 'Delete');
  await message(ada, answer).getByRole('button', { name: 'Delete' }).click();
  await act(ada, edited, 'Delete');
  await message(ada, edited).getByRole('button', { name: 'Delete' }).click();
  for (const text of [answer, edited]) {
    await expect.poll(() => message(bob, text).count(), poll).toBe(0);
  }
}, 240_000);
