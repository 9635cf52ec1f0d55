import { mkdirSync } from 'node:fs';
import { expect, inject, test } from 'vitest';
import { setupBrowser } from '../support/browser.ts';
import { beingRow, continueAsGuest, createSpace, signUp, uniqueSuffix } from '../support/people.ts';

const baseUrl = inject('baseUrl');
const browser = setupBrowser();

test('the owner moves a bot to another space (others see it leave live) and then deletes it', async () => {
  const owner = await (await browser().newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const suffix = uniqueSuffix();
  await signUp(owner, baseUrl, {
    name: 'Mary Somerville',
    email: `mary-${suffix}@example.com`,
    password: 'connexion-of-sciences',
  });
  const harbour = `@harbour-${suffix}`;
  const workshop = `@workshop-${suffix}`;
  await createSpace(owner, baseUrl, { name: `Harbour ${suffix}`, id: harbour, visibility: 'public' });
  await createSpace(owner, baseUrl, { name: `Workshop ${suffix}`, id: workshop, visibility: 'public' });

  const botName = `Pilot ${suffix}`;
  await owner.getByRole('button', { name: 'Add a bot' }).click();
  const dialog = owner.getByRole('dialog', { name: 'Add a bot' });
  await dialog.getByLabel('Name').fill(botName);
  await dialog.getByRole('button', { name: 'Add bot' }).click();
  await dialog.waitFor({ state: 'detached' });

  const watcher = await (await browser().newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await continueAsGuest(watcher, baseUrl, `Watcher ${suffix}`);
  await watcher.goto(`${baseUrl}/being/${workshop}`);
  const watchedRow = beingRow(watcher, botName);
  await watchedRow.waitFor();

  const botId = `@pilot-${suffix}`;
  await owner.goto(`${baseUrl}/being/${botId}/edit`);
  const where = owner.getByLabel('Where it is');
  await expect.poll(() => where.inputValue()).toBe(workshop);
  await where.selectOption(harbour);
  await owner.getByRole('button', { name: 'Save', exact: true }).click();
  await owner.waitForURL(new RegExp(`/being/(@|%40)pilot-${suffix}$`));

  // The watcher's list loses the bot without a reload; the harbour has it.
  await watchedRow.waitFor({ state: 'detached' });
  await owner.goto(`${baseUrl}/being/${harbour}`);
  const harbourRow = beingRow(owner, botName);
  await harbourRow.waitFor();

  await owner.goto(`${baseUrl}/being/${botId}/edit`);
  await owner.getByRole('button', { name: 'Delete…' }).click();
  // One click is not enough: the second button names what goes, and "Keep it" backs out.
  await owner.getByRole('button', { name: 'Keep it' }).click();
  await owner.getByRole('button', { name: 'Delete…' }).click();
  mkdirSync('test-results', { recursive: true });
  await owner.screenshot({ path: 'test-results/edit-bot-delete.png', fullPage: true });
  await owner.getByRole('button', { name: `Delete ${botName} for good` }).click();
  await owner.waitForURL(new RegExp(`/being/(@|%40)harbour-${suffix}$`));
  await owner.getByRole('list', { name: 'Beings in this space' }).getByText('Mary Somerville').waitFor();
  await expect.poll(() => harbourRow.count()).toBe(0);

  await owner.goto(`${baseUrl}/being/${botId}`);
  await owner.getByRole('alert').getByText('Nothing here').waitFor();
  await owner.context().close();
  await watcher.context().close();
});
