import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll } from 'vitest';

/** What a person does in the UI, step by step, through accessible names only. */

export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

export async function signUp(
  page: Page,
  baseUrl: string,
  person: { name: string; email: string; password: string },
) {
  await page.goto(`${baseUrl}/sign-in?mode=sign-up`);
  await page.getByRole('tab', { name: 'Sign up' }).click();
  await page.getByLabel('Name', { exact: true }).fill(person.name);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/being\/(@|%40)intraliminal$/);
}

export async function continueAsGuest(page: Page, baseUrl: string, name: string) {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Display name').fill(name);
  await page.getByRole('button', { name: 'Continue as guest' }).click();
  await page.waitForURL(/\/being\/(@|%40)intraliminal$/);
}

export async function createSpace(
  page: Page,
  baseUrl: string,
  space: { name: string; id: string; visibility: 'public' | 'private' },
) {
  await page.goto(`${baseUrl}/spaces/new`);
  await page.getByLabel('Name', { exact: true }).fill(space.name);
  await page.getByLabel('Address (optional)').fill(space.id);
  await page.getByLabel(space.visibility === 'private' ? /^Private/ : /^Public/).check();
  await page.getByRole('button', { name: 'Create space' }).click();
  await page.waitForURL(new RegExp(`/being/(@|%40)${space.id.slice(1)}$`));
}

export function messageBox(page: Page) {
  return page.getByRole('textbox', { name: 'Message' });
}

export function messageLog(page: Page) {
  return page.getByRole('log', { name: 'Messages' });
}

/** Types a message and sends it with Enter, then waits until the log shows it. */
export async function post(page: Page, text: string) {
  await messageBox(page).fill(text);
  await messageBox(page).press('Enter');
  await messageLog(page).getByText(text).waitFor();
}

/**
 * How many of the page's posts the server has answered, counted from now: `post` returns once the log
 * shows a message, which it does at once, before the server has it.
 */
export function postsAnswered(page: Page): () => number {
  let answered = 0;
  page.on('requestfinished', (request) => {
    if (request.url().includes('/api/trpc/intention.createUtterance')) answered++;
  });
  return () => answered;
}

/** A being's row in the space's "Beings in this space" list. */
export function beingRow(page: Page, name: string) {
  return page
    .getByRole('list', { name: 'Beings in this space' })
    .getByRole('listitem')
    .filter({ hasText: name });
}

/** The signed-in person's own being id, read from the rail's profile link. */
export async function myBeingId(page: Page): Promise<string> {
  const href = await page.getByTitle('Your profile').getAttribute('href');
  if (!href) throw new Error('no profile link: is anyone signed in?');
  return decodeURIComponent(href.replace(/^\/being\//, ''));
}

/**
 * Guests, each in a browser context of their own, closed when the test file ends:
 * `const person = guests(browser, baseUrl)`, then `await person('Ada')` is her signed-in page.
 */
export function guests(
  browser: () => Browser,
  baseUrl: string,
  options: BrowserContextOptions = {},
): (name: string) => Promise<Page> {
  const contexts: BrowserContext[] = [];
  afterAll(async () => {
    for (const context of contexts) await context.close();
  });
  return async (name) => {
    const context = await browser().newContext(options);
    contexts.push(context);
    const page = await context.newPage();
    await continueAsGuest(page, baseUrl, name);
    return page;
  };
}
