import { expect, inject, test } from 'vitest';
import { setupBrowser } from './support/browser.ts';
import { continueAsGuest, messageLog, post, uniqueSuffix } from './support/people.ts';

const baseUrl = inject('baseUrl');
const browser = setupBrowser();

test('a visitor without a session reads the public space and is asked to sign in to post', async () => {
  const context = await browser().newContext();
  const page = await context.newPage();
  await page.goto(baseUrl);
  await page.waitForURL(/\/being\/(@|%40)intraliminal$/);
  await messageLog(page).waitFor();
  await expect(page.getByRole('textbox', { name: 'Message' }).count()).resolves.toBe(0);
  await page.getByText('Sign in or continue as a guest to join the conversation.').waitFor();
  // The server's HTML already shows a visitor the prompt, not a composer that the scripts take away later.
  const html = await (await fetch(page.url())).text();
  expect(html).toContain('Sign in or continue as a guest to join the conversation.');
  expect(html).not.toContain('aria-label="Message"');
  await context.close();
});

test('a guest picks a display name, posts under it, and sees the seeded assistant', async () => {
  const context = await browser().newContext();
  const page = await context.newPage();
  const name = `Wanderer ${uniqueSuffix()}`;
  await continueAsGuest(page, baseUrl, name);

  const text = `hello from ${name}`;
  await post(page, text);
  const message = messageLog(page).getByRole('article').filter({ hasText: text });
  await message.getByRole('link', { name }).waitFor();
  await page.getByRole('navigation', { name: 'Spaces' }).getByText(name).waitFor();
  await page.getByRole('list', { name: 'Beings in this space' }).getByText('bot').first().waitFor();
  await context.close();
});
