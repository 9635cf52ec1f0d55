import { mkdirSync } from 'node:fs';
import { expect, inject, test } from 'vitest';
import { setupBrowser } from '../support/browser.ts';
import {
  continueAsGuest,
  createSpace,
  messageLog,
  myBeingId,
  post,
  uniqueSuffix,
} from '../support/people.ts';

const baseUrl = inject('baseUrl');
const browser = setupBrowser();

test('someone watching a space that turns private is removed from its room at once and sees why', async () => {
  const suffix = uniqueSuffix();
  const owner = await (await browser().newContext()).newPage();
  await continueAsGuest(owner, baseUrl, `Host ${suffix}`);
  const spaceId = `@porch-${suffix}`;
  await createSpace(owner, baseUrl, { name: `Porch ${suffix}`, id: spaceId, visibility: 'public' });
  await post(owner, `Welcome, everyone ${suffix}`);

  const visitor = await (await browser().newContext()).newPage();
  await continueAsGuest(visitor, baseUrl, `Passer-by ${suffix}`);
  await visitor.goto(`${baseUrl}/being/${spaceId}`);
  await messageLog(visitor).getByText(`Welcome, everyone ${suffix}`).waitFor();
  await visitor.getByRole('status').getByText('Live').waitFor();

  await owner.goto(`${baseUrl}/being/${spaceId}/edit`);
  await owner.getByLabel('Who can see it').selectOption('private');
  await owner.getByRole('button', { name: 'Save', exact: true }).click();
  await owner.waitForURL(new RegExp(`/being/(@|%40)porch-${suffix}$`));

  // The visitor's token is still valid, but the server removed them from the room and refuses a new one.
  await visitor.getByRole('alert').getByText('You can no longer see this space').waitFor();
  await visitor.getByRole('status').getByText('No access').waitFor();
  // The rail no longer offers the space, and there is nothing to join.
  const rail = visitor.getByRole('navigation', { name: 'Spaces' });
  await expect.poll(() => rail.getByRole('link', { name: new RegExp(`Porch ${suffix}`) }).count()).toBe(0);
  await expect(visitor.getByRole('button', { name: 'Join' }).count()).resolves.toBe(0);
  mkdirSync('test-results', { recursive: true });
  await visitor.screenshot({ path: 'test-results/lost-access.png' });

  const secret = `Just us now ${suffix}`;
  await post(owner, secret);
  await expect(messageLog(visitor).count()).resolves.toBe(0);
  await expect(visitor.locator('body').textContent()).resolves.not.toContain(secret);
  await owner.context().close();
  await visitor.context().close();
});

test('the owner adds someone to a private space by address, then removes them: their open page loses it', async () => {
  const suffix = uniqueSuffix();
  const owner = await (await browser().newContext()).newPage();
  await continueAsGuest(owner, baseUrl, `Keeper ${suffix}`);
  const reader = await (await browser().newContext()).newPage();
  await continueAsGuest(reader, baseUrl, `Reader ${suffix}`);
  const readerId = await myBeingId(reader);

  const spaceId = `@study-${suffix}`;
  await createSpace(owner, baseUrl, { name: `Study ${suffix}`, id: spaceId, visibility: 'private' });
  await post(owner, `Notes for two ${suffix}`);
  await owner.goto(`${baseUrl}/being/${spaceId}/edit`);
  const members = owner.getByRole('region', { name: 'Members' });
  await members.getByLabel('Address of the member to add').fill(readerId.slice(1));
  await members.getByRole('button', { name: 'Add member' }).click();
  await members.getByRole('list', { name: 'Members' }).getByText(readerId).waitFor();

  await reader.goto(`${baseUrl}/being/${spaceId}`);
  await messageLog(reader).getByText(`Notes for two ${suffix}`).waitFor();
  await reader.getByRole('status').getByText('Live').waitFor();

  await members.getByRole('button', { name: `Remove Reader ${suffix}` }).click();
  await expect.poll(() => members.getByRole('list', { name: 'Members' }).count()).toBe(0);
  await reader.getByRole('alert').getByText('You can no longer see this space').waitFor();
  await reader.reload();
  await reader.getByRole('alert').getByText('Nothing here').waitFor();
  await owner.context().close();
  await reader.context().close();
});
