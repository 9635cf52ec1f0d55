import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type ProviderServer, startProviderServer } from '../../test/bots/provider-server.ts';
import { type AppServer, startAppServer } from '../support/app-server.ts';
import { setupBrowser } from '../support/browser.ts';
import { continueAsGuest, messageLog, post, uniqueSuffix } from '../support/people.ts';

/**
 * Its own app, pointed at a loopback provider that speaks the OpenAI streaming format, so the seeded
 * assistant answers with a real streamed reply instead of the offline bot.
 */
const appDir = fileURLToPath(new URL('../..', import.meta.url));
let provider: ProviderServer;
let app: AppServer;
const browser = setupBrowser();

beforeAll(async () => {
  provider = await startProviderServer();
  app = await startAppServer(appDir, { BOT_PROVIDER_URL: provider.url, BOT_MODEL: 'story-model' });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await provider?.close();
});

async function guest(name: string): Promise<Page> {
  const context = await browser().newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await continueAsGuest(page, app.url, name);
  return page;
}

/** Records, in the page, every distinct text the article containing `marker` shows over time. */
async function recordGrowth(page: Page, marker: string): Promise<void> {
  await page.evaluate((needle) => {
    const seen: string[] = [];
    (window as unknown as { growth: string[] }).growth = seen;
    // The whole body is watched: the log itself may be re-rendered while the space loads.
    const sample = () => {
      for (const article of document.querySelectorAll('[role="log"] article')) {
        const text = article.textContent ?? '';
        if (text.includes(needle) && seen.at(-1) !== text) seen.push(text);
      }
    };
    new MutationObserver(sample).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  }, marker);
}

test('a second browser sees the bot reply grow and complete, rendered as Markdown', async () => {
  const tokens = ['**Once**', ' upon', ' a', ' time'];
  for (let i = 0; i < 50; i++) tokens.push(` w${i}`);
  tokens.push(' — the end.');
  provider.behave({ kind: 'stream', tokens, delayMs: 40 });

  const asker = await guest(`Asker ${uniqueSuffix()}`);
  const watcher = await guest(`Watcher ${uniqueSuffix()}`);
  await recordGrowth(watcher, 'upon a time');

  await post(asker, `Tell me a story ${uniqueSuffix()}`);
  const reply = messageLog(watcher).getByRole('article').filter({ hasText: 'the end.' });
  await reply.waitFor({ timeout: 30_000 });
  await reply.getByText('127.0.0.1').waitFor();

  const growth = await watcher.evaluate(() => (window as unknown as { growth: string[] }).growth);
  const partial = growth.filter((text) => !text.includes('the end.'));
  // The watcher saw several partial versions, each longer than the one before, then the whole reply.
  expect(partial.length).toBeGreaterThan(2);
  expect(partial.some((text) => text.includes('Writing…'))).toBe(true);
  await expect(reply.locator('strong', { hasText: 'Once' }).count()).resolves.toBe(1);
  await expect.poll(() => reply.getByRole('status').count()).toBe(0);
  mkdirSync('test-results', { recursive: true });
  await watcher.screenshot({ path: 'test-results/bot-reply-complete.png' });
  await asker.context().close();
  await watcher.context().close();
});

test('the author of the message stops a reply; others see it stopped, and only the author had Stop', async () => {
  provider.behave({ kind: 'endless', delayMs: 30 });
  const askerName = `Stopper ${uniqueSuffix()}`;
  const asker = await guest(askerName);
  const watcher = await guest(`Onlooker ${uniqueSuffix()}`);

  await post(asker, `Talk until I stop you ${uniqueSuffix()}`);
  const mine = messageLog(asker).getByRole('article').filter({ hasText: 'w3 ' });
  await mine.waitFor({ timeout: 30_000 });
  const theirs = messageLog(watcher).getByRole('article').filter({ hasText: 'w3 ' });
  await theirs.getByRole('status').waitFor();
  await expect(theirs.getByRole('button', { name: 'Stop' }).count()).resolves.toBe(0);

  mkdirSync('test-results', { recursive: true });
  await asker.screenshot({ path: 'test-results/bot-reply-streaming.png' });
  await mine.getByRole('button', { name: 'Stop' }).click();
  // Exactly the reason, said once (not "Reply stopped: Stopped by …").
  await theirs.getByText(`Stopped by ${askerName}.`, { exact: true }).waitFor({ timeout: 30_000 });
  await expect.poll(() => theirs.getByRole('status').count()).toBe(0);
  await asker.context().close();
  await watcher.context().close();
});

test('a provider failing mid-stream leaves the partial reply marked failed, with the reason, for everyone', async () => {
  provider.behave({ kind: 'fail-mid-stream', tokens: ['Half of', ' an answer'], how: 'error-chunk' });
  const asker = await guest(`Curious ${uniqueSuffix()}`);
  const watcher = await guest(`Bystander ${uniqueSuffix()}`);
  await post(asker, `Answer me ${uniqueSuffix()}`);
  const reply = messageLog(watcher).getByRole('article').filter({ hasText: 'Half of an answer' });
  // A fixed reason; the provider's own words go to the log, never to the people in the space.
  await reply
    .getByRole('note')
    .getByText(/Reply failed: The model provider at .* failed during the reply\. Try again\./)
    .waitFor({ timeout: 30_000 });
  await expect(reply.textContent()).resolves.not.toContain('upstream model overloaded');
  await expect.poll(() => reply.getByRole('status').count()).toBe(0);
  await asker.context().close();
  await watcher.context().close();
});
