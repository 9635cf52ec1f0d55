import { mkdirSync } from 'node:fs';
import { expect, inject, test } from 'vitest';
import { setupBrowser } from '../support/browser.ts';
import {
  beingRow,
  continueAsGuest,
  createSpace,
  messageLog,
  post,
  signUp,
  uniqueSuffix,
} from '../support/people.ts';

const baseUrl = inject('baseUrl');
const browser = setupBrowser();

test('a person adds a bot from the space; it joins the list live, answers, and only its owner can open its settings', async () => {
  const owner = await (await browser().newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const suffix = uniqueSuffix();
  await signUp(owner, baseUrl, {
    name: 'Grace Hopper',
    email: `grace-${suffix}@example.com`,
    password: 'compiler-first',
  });
  const spaceId = `@workshop-${suffix}`;
  await createSpace(owner, baseUrl, { name: 'Workshop', id: spaceId, visibility: 'public' });

  const beings = owner.getByRole('list', { name: 'Beings in this space' });
  await beings.getByText('Grace Hopper').waitFor();
  await owner.getByRole('button', { name: 'Add a bot' }).click();
  const dialog = owner.getByRole('dialog', { name: 'Add a bot' });
  const botName = `Helper ${suffix}`;
  // The dialog opens where people type: the Name field, not the close button.
  await expect
    .poll(() => dialog.getByLabel('Name').evaluate((el) => el === document.activeElement))
    .toBe(true);
  await dialog.getByLabel('Name').fill(botName);
  await dialog.getByLabel('System prompt (optional)').fill('Answer like a ship’s navigator.');
  await dialog.getByLabel('Model (optional)').fill('openai/gpt-4o-mini');
  mkdirSync('test-results', { recursive: true });
  await owner.screenshot({ path: 'test-results/add-bot-dialog.png' });
  await dialog.getByRole('button', { name: 'Add bot' }).click();
  await dialog.waitFor({ state: 'detached' });

  // The new bot arrives through sync, without a reload, with its owner's settings button.
  const botRow = beingRow(owner, botName);
  await botRow.getByText('bot', { exact: true }).waitFor();
  await expect(botRow.getByRole('link').getAttribute('href')).resolves.toBe(`/being/@helper-${suffix}`);

  const text = `Where are we headed ${suffix}`;
  await post(owner, text);
  const reply = messageLog(owner).getByRole('article').filter({ hasText: 'Offline bot' });
  await reply.getByText('offline bot · no model configured').waitFor({ timeout: 30_000 });
  await expect.poll(() => reply.getByRole('status').count()).toBe(0);

  await botRow.getByRole('button', { name: `Settings for ${botName}` }).click();
  const settings = owner.getByRole('dialog', { name: `${botName} · settings` });
  const panel = settings.getByRole('region', { name: 'Bot settings' });
  await expect.poll(() => panel.getByLabel('Model').inputValue()).toBe('openai/gpt-4o-mini');
  await expect
    .poll(() => panel.getByLabel('System prompt').inputValue())
    .toBe('Answer like a ship’s navigator.');
  await expect(panel.getByLabel('API key').inputValue()).resolves.toBe('');
  await owner.screenshot({ path: 'test-results/bot-settings-dialog.png' });
  await settings.getByRole('button', { name: 'Close' }).click();
  await settings.waitFor({ state: 'detached' });
  // Focus goes back to the button that opened the dialog (it may move just after the dialog is gone).
  await expect
    .poll(() => owner.evaluate(() => document.activeElement?.getAttribute('aria-label')))
    .toBe(`Settings for ${botName}`);
  await owner.screenshot({ path: 'test-results/space-with-bot.png' });

  const other = await (await browser().newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await continueAsGuest(other, baseUrl, `Passenger ${suffix}`);
  await other.goto(`${baseUrl}/being/${spaceId}`);
  const theirRow = beingRow(other, botName);
  await theirRow.waitFor();
  await messageLog(other).getByText(text).waitFor();
  await expect(other.getByRole('button', { name: /^Settings for / }).count()).resolves.toBe(0);
  await owner.context().close();
  await other.context().close();
});

test('adding a bot after the session ended says what to do and keeps what was typed; no bot is made', async () => {
  const context = await browser().newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const suffix = uniqueSuffix();
  await continueAsGuest(page, baseUrl, `Drifter ${suffix}`);
  await createSpace(page, baseUrl, { name: 'Quiet room', id: `@quiet-${suffix}`, visibility: 'public' });
  await page.getByRole('button', { name: 'Add a bot' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a bot' });
  await dialog.getByLabel('Name').fill(`Ghost ${suffix}`);
  await dialog.getByLabel('System prompt (optional)').fill('Whisper.');
  await context.clearCookies();
  await dialog.getByRole('button', { name: 'Add bot' }).click();
  await dialog.getByRole('alert').getByText('Sign in (or continue as a guest) first.').waitFor();
  await expect.poll(() => dialog.getByLabel('Name').inputValue()).toBe(`Ghost ${suffix}`);
  await expect.poll(() => dialog.getByLabel('System prompt (optional)').inputValue()).toBe('Whisper.');
  await expect(
    page.getByRole('list', { name: 'Beings in this space' }).getByText(`Ghost ${suffix}`).count(),
  ).resolves.toBe(0);
  await context.close();
});
