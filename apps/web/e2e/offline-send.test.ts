import type { Dialog } from 'playwright-core';
import { expect, inject, test } from 'vitest';
import { setupBrowser } from './support/browser.ts';
import { createSpace, guests, messageBox, messageLog, post, uniqueSuffix } from './support/people.ts';

/** A message sent offline waits in the log and goes out once, when the network is back. */
const baseUrl = inject('baseUrl');
const browser = setupBrowser();
const person = guests(browser, baseUrl);
const poll = { timeout: 30_000, interval: 200 };

test('a message sent offline is shown as waiting and delivered exactly once after reconnecting', async () => {
  const suffix = uniqueSuffix();
  const ada = await person(`Ada ${suffix}`);
  const spaceId = `@offline-${suffix}`;
  await createSpace(ada, baseUrl, { name: `Offline ${suffix}`, id: spaceId, visibility: 'public' });
  const bob = await person(`Bob ${suffix}`);
  await bob.goto(`${baseUrl}/being/${spaceId}`);
  await post(ada, `online first ${suffix}`);
  await messageLog(bob).getByText(`online first ${suffix}`).waitFor();

  await ada.context().setOffline(true);
  const text = `written on a train ${suffix}`;
  await messageBox(ada).fill(text);
  await messageBox(ada).press('Enter');
  const mine = messageLog(ada).getByRole('article').filter({ hasText: text });
  await mine.getByText('Not sent yet: waiting for the network…').waitFor();
  // Nothing raw reaches the person, and the text is not handed back while it still waits.
  await expect(ada.getByText('Failed to fetch').count()).resolves.toBe(0);
  await expect(messageBox(ada).inputValue()).resolves.toBe('');
  // A second one, written while the first waits, waits behind it and says so.
  const then = `and then this ${suffix}`;
  await messageBox(ada).fill(then);
  await messageBox(ada).press('Enter');
  const next = messageLog(ada).getByRole('article').filter({ hasText: then });
  await next.getByText('Not sent yet: waiting for the network…').waitFor();
  // Closing the page now would lose both: the browser asks first, and staying keeps them.
  const outcome = new Promise<Dialog | 'closed'>((resolve) => {
    ada.once('dialog', resolve);
    ada.once('close', () => resolve('closed'));
  });
  await ada.close({ runBeforeUnload: true });
  const asked = await outcome;
  expect(asked === 'closed' ? 'closed' : asked.type()).toBe('beforeunload');
  if (asked !== 'closed') await asked.dismiss();
  expect(ada.isClosed()).toBe(false);

  await ada.context().setOffline(false);
  await messageLog(bob).getByText(then).waitFor();
  await expect.poll(() => mine.getByText('Not sent yet').count(), poll).toBe(0);
  await expect.poll(() => next.getByText('Not sent yet').count(), poll).toBe(0);
  // Both arrive in the order they were written.
  const order = await messageLog(bob)
    .getByRole('article')
    .filter({ hasText: suffix })
    .evaluateAll((rows) => rows.map((row) => row.textContent ?? ''));
  expect(order.findIndex((row) => row.includes(text))).toBeLessThan(
    order.findIndex((row) => row.includes(then)),
  );
  // One copy everywhere, after the SFU reconnects and catch-up runs (a retry must not post it twice).
  await post(ada, `back online ${suffix}`);
  await messageLog(bob).getByText(`back online ${suffix}`).waitFor();
  for (const page of [ada, bob]) {
    await expect(messageLog(page).getByText(text).count()).resolves.toBe(1);
    await expect(messageLog(page).getByText(then).count()).resolves.toBe(1);
  }
  await expect(ada.getByText('could not be sent').count()).resolves.toBe(0);
}, 180_000);
