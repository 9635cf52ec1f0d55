import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { expect, inject, test } from 'vitest';
import { setupBrowser } from '../support/browser.ts';
import { continueAsGuest, uniqueSuffix } from '../support/people.ts';

const baseUrl = inject('baseUrl');
const browser = setupBrowser();

/** Calls a tRPC mutation with the page's own session, as the app's client does. */
async function mutate(page: Page, path: string, input: unknown): Promise<{ id: string }> {
  return page.evaluate(
    async ({ path, input }) => {
      const response = await fetch(`/api/trpc/${path}?batch=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ 0: { json: input } }),
      });
      const [result] = (await response.json()) as Array<{ result?: { data: { json: { id: string } } } }>;
      if (!result?.result) throw new Error(`${path} failed: ${response.status}`);
      return result.result.data.json;
    },
    { path, input },
  );
}

test('the owner sets model, prompt and key in the bot panel; the key is never shown again, and others get no panel', async () => {
  const owner = await (await browser().newContext()).newPage();
  await continueAsGuest(owner, baseUrl, `Keeper ${uniqueSuffix()}`);
  const suffix = uniqueSuffix();
  const bot = await mutate(owner, 'being.create', {
    id: `@helper-${suffix}`,
    name: `Helper ${suffix}`,
    type: 'bot',
    locationId: '@intraliminal',
  });
  await owner.goto(`${baseUrl}/being/${bot.id}`);
  const panel = owner.getByRole('region', { name: 'Bot settings' });
  await panel.getByText('offline bot').waitFor();

  const key = `sk-e2e-${suffix}-do-not-show`;
  await panel.getByLabel('Model').fill('openai/gpt-4o-mini');
  await panel.getByLabel('System prompt').fill('Answer like a lighthouse keeper.');
  await panel.getByLabel('API key').fill(key);
  await panel.getByRole('button', { name: 'Save settings' }).click();
  await panel.getByRole('status').getByText('Saved.').waitFor();
  await panel.getByText('openrouter.ai · openai/gpt-4o-mini').waitFor();

  await owner.reload();
  await panel.getByLabel('Model').waitFor();
  await expect.poll(() => panel.getByLabel('Model').inputValue()).toBe('openai/gpt-4o-mini');
  await expect
    .poll(() => panel.getByLabel('System prompt').inputValue())
    .toBe('Answer like a lighthouse keeper.');
  await expect(panel.getByLabel('API key').inputValue()).resolves.toBe('');
  await expect.poll(() => panel.getByLabel('API key').getAttribute('placeholder')).toContain('A key is set');
  await expect(owner.content()).resolves.not.toContain(key);
  mkdirSync('test-results', { recursive: true });
  await owner.screenshot({ path: 'test-results/bot-settings.png', fullPage: true });

  const other = await (await browser().newContext()).newPage();
  await continueAsGuest(other, baseUrl, `Passerby ${uniqueSuffix()}`);
  await other.goto(`${baseUrl}/being/${bot.id}`);
  await other.getByRole('heading', { name: `Helper ${suffix}` }).waitFor();
  await expect(other.getByRole('region', { name: 'Bot settings' }).count()).resolves.toBe(0);
  await owner.context().close();
  await other.context().close();
});
