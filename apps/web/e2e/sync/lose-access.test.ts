import { mkdirSync } from 'node:fs';
import { expect, inject, test } from 'vitest';
import { setupBrowser } from '../support/browser.ts';
import { continueAsGuest, createSpace, messageLog, post, uniqueSuffix } from '../support/people.ts';

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
