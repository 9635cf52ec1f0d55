import { expect, inject, test } from 'vitest';
import { setupBrowser } from './support/browser.ts';
import {
  continueAsGuest,
  createSpace,
  messageBox,
  messageLog,
  post,
  postsAnswered,
  uniqueSuffix,
} from './support/people.ts';

const baseUrl = inject('baseUrl');
const browser = setupBrowser();

test('Shift+Enter makes a new line and Enter sends the whole message', async () => {
  const context = await browser().newContext();
  const page = await context.newPage();
  await continueAsGuest(page, baseUrl, `Typist ${uniqueSuffix()}`);
  const first = `first line ${uniqueSuffix()}`;
  const second = `second line ${uniqueSuffix()}`;

  const box = messageBox(page);
  await box.click();
  await page.keyboard.type(first);
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type(second);
  await expect.poll(() => box.inputValue()).toBe(`${first}\n${second}`);
  await expect(messageLog(page).getByText(first).count()).resolves.toBe(0);

  await page.keyboard.press('Enter');
  const message = messageLog(page).getByRole('article').filter({ hasText: first });
  await message.waitFor();
  // Both lines belong to one message, rendered on two lines (a <br> between them, not a space), and the
  // box is empty for the next one.
  const paragraph = message.locator('p', { hasText: first });
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point: the <br> is a line
  await expect(paragraph.evaluate((p) => (p as HTMLElement).innerText)).resolves.toBe(`${first}\n${second}`);
  await expect(paragraph.locator('br').count()).resolves.toBe(1);
  await expect.poll(() => box.inputValue()).toBe('');
  await context.close();
});

test('an empty or oversize message is not sent, and the draft stays', async () => {
  const context = await browser().newContext();
  const page = await context.newPage();
  await continueAsGuest(page, baseUrl, `Careful ${uniqueSuffix()}`);
  const box = messageBox(page);
  await box.fill('   ');
  await expect(page.getByRole('button', { name: 'Send' }).isDisabled()).resolves.toBe(true);

  const tooLong = 'x'.repeat(10_001);
  await box.fill(tooLong);
  await page.getByText('1 character over the limit of 10,000').waitFor();
  await expect(page.getByRole('button', { name: 'Send' }).isDisabled()).resolves.toBe(true);
  await box.press('Enter');
  await expect(box.inputValue()).resolves.toBe(tooLong);
  await context.close();
});

test('a send the server refuses shows its reason and puts the text back', async () => {
  const context = await browser().newContext();
  const page = await context.newPage();
  await continueAsGuest(page, baseUrl, `Expired ${uniqueSuffix()}`);
  // The page knows who is signed in (the rail shows them) before the session goes: otherwise the page
  // would load as signed out and show no message box at all.
  await page.getByTitle('Your profile').waitFor();
  // The session ends behind the page's back (as when it expires or is signed out in another tab).
  await context.clearCookies();

  const text = `this should not be lost ${uniqueSuffix()}`;
  await messageBox(page).fill(text);
  await messageBox(page).press('Enter');
  await page.getByRole('alert').getByText('Sign in (or continue as a guest) first.').waitFor();
  // The text comes back and the optimistic copy goes away as the refusal is handled, not necessarily in
  // the same render as the alert: read both until they settle.
  await expect.poll(() => messageBox(page).inputValue()).toBe(text);
  await expect.poll(() => messageLog(page).getByText(text).count()).toBe(0);
  await context.close();
});

test('text typed before the page’s scripts have run is kept, and sent once they have', async () => {
  const context = await browser().newContext();
  const page = await context.newPage();
  await continueAsGuest(page, baseUrl, `Early ${uniqueSuffix()}`);
  const url = page.url();
  // Hold the scripts back, as a busy server or a slow network does; the server's HTML is already usable.
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route('**/_next/static/**/*.js', async (route) => {
    await released;
    await route.continue();
  });
  await page.goto(url, { waitUntil: 'commit' });
  const text = `typed early ${uniqueSuffix()}`;
  await messageBox(page).click();
  await page.keyboard.type(text);
  release();
  // Hydrated: the text is the draft React knows, so Send is enabled and Enter sends it. The held scripts
  // all load and run first, which takes seconds on a busy machine: a generous bound.
  await expect
    .poll(() => page.getByRole('button', { name: 'Send' }).isEnabled(), { timeout: 30_000, interval: 200 })
    .toBe(true);
  await expect(messageBox(page).inputValue()).resolves.toBe(text);
  await messageBox(page).press('Enter');
  await messageLog(page).getByRole('article').filter({ hasText: text }).waitFor();
  await expect.poll(() => messageBox(page).inputValue()).toBe('');
  await context.close();
});

test('two messages sent quickly are stored and shown in the order typed, even when the first one is slow', async () => {
  const context = await browser().newContext();
  const page = await context.newPage();
  const suffix = uniqueSuffix();
  await continueAsGuest(page, baseUrl, `Quick typist ${suffix}`);
  await createSpace(page, baseUrl, { name: 'Quick', id: `@quick-${suffix}`, visibility: 'public' });
  // The first post's request is held (a slow network, a busy server) until the second's has been answered,
  // or for 3 s if the second never starts before the first is done.
  let secondAnswered = () => {};
  const answered = new Promise<void>((resolve) => {
    secondAnswered = resolve;
  });
  let posts = 0;
  const answeredPosts = postsAnswered(page);
  page.on('requestfinished', () => {
    if (answeredPosts() === 1) secondAnswered();
  });
  await page.route('**/api/trpc/intention.createUtterance*', async (route) => {
    posts++;
    if (posts === 1) await Promise.race([answered, new Promise((resolve) => setTimeout(resolve, 3_000))]);
    await route.continue();
  });
  const first = `One ${suffix}`;
  const second = `Two ${suffix}`;
  await post(page, first);
  await post(page, second);
  await expect.poll(answeredPosts, { timeout: 30_000 }).toBe(2);

  const order = () =>
    messageLog(page)
      .getByRole('article')
      .filter({ hasText: suffix })
      .evaluateAll(
        (rows, text) => rows.map((row) => (row.textContent?.includes(text) ? 'one' : 'two')),
        first,
      );
  await expect.poll(order).toEqual(['one', 'two']);
  await page.unroute('**/api/trpc/intention.createUtterance*');
  await page.reload();
  await messageLog(page).getByText(second).waitFor();
  await expect(order()).resolves.toEqual(['one', 'two']);
  await context.close();
});
