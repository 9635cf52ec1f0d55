import type { Locator, Page } from 'playwright-core';
import { expect, inject, test } from 'vitest';
import { setupBrowser } from './support/browser.ts';
import { createSpace, guests, messageLog, post, uniqueSuffix } from './support/people.ts';

/** Edit, delete, reply and links: two people in two browsers, every change live for the other. */
const baseUrl = inject('baseUrl');
const browser = setupBrowser();
// Copy link writes to the clipboard, which the test then reads back.
const person = guests(browser, baseUrl, { permissions: ['clipboard-read', 'clipboard-write'] });
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

test('edit, reply, copy link and delete reach the other person live; the keyboard reaches the actions', async () => {
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

  // Ada's message scrolls away under more posts; Bob copies its link with the keyboard alone: Tab from
  // the author's name reaches the message's toolbar, the arrow key moves to Copy link.
  for (let n = 1; n <= 15; n++) await post(ada, `Filler ${n} ${suffix}`);
  await message(bob, `Filler 15 ${suffix}`).waitFor();
  await message(bob, edited)
    .getByRole('link', { name: `Ada ${suffix}` })
    .focus();
  await bob.keyboard.press('Tab');
  const focused = () => bob.evaluate(() => document.activeElement?.textContent);
  await expect(focused()).resolves.toBe('Reply');
  const tools = message(bob, edited).getByRole('toolbar', { name: 'Message actions' });
  await expect(tools.evaluate((el) => getComputedStyle(el).opacity)).resolves.toBe('1');
  await bob.keyboard.press('ArrowRight');
  await expect(focused()).resolves.toBe('Copy link');
  await bob.keyboard.press('Enter');
  await tools.getByRole('status').getByText('Link copied').waitFor();
  const link = await bob.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(new RegExp(`^${baseUrl}/being/.*${spaceId.slice(1)}\\?message=`));

  // The link opens the space in a fresh page, scrolled to that message and marked as the one linked.
  const fresh = await bob.context().newPage();
  await fresh.setViewportSize({ width: 1280, height: 480 });
  await fresh.goto(link);
  const linked = messageLog(fresh).locator('article[aria-current="location"]');
  await expect.poll(() => linked.textContent(), poll).toContain(edited);
  await expect.poll(() => inView(linked), poll).toBe(true);
  await fresh.close();

  // Ada owns the space: she deletes Bob's reply and then her own message; both vanish for Bob.
  await act(ada, answer, 'Delete');
  await message(ada, answer).getByRole('button', { name: 'Delete' }).click();
  await act(ada, edited, 'Delete');
  await message(ada, edited).getByRole('button', { name: 'Delete' }).click();
  for (const text of [answer, edited]) {
    await expect.poll(() => message(bob, text).count(), poll).toBe(0);
  }

  // The link now points at a deleted message: the page says so and opens at the newest messages.
  const stale = await bob.context().newPage();
  await stale.setViewportSize({ width: 1280, height: 480 });
  await stale.goto(link);
  await stale.getByRole('status').getByText('The linked message is no longer here.').waitFor();
  await expect.poll(() => inView(message(stale, `Filler 15 ${suffix}`)), poll).toBe(true);
  await stale.close();
}, 240_000);

/** Whether the element is wholly inside the page's viewport. */
function inView(locator: Locator) {
  return locator.evaluate((el) => {
    const box = el.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  });
}
