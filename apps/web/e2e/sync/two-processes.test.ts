import { fileURLToPath } from 'node:url';
import { type SfuServer, startSfu } from '@rhizom/sfu';
import { throwawayDatabase } from '@rhizom/testing/postgres';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AppServer, startAppServer } from '../support/app-server.ts';
import { setupBrowser } from '../support/browser.ts';
import { continueAsGuest, createSpace, messageBox, messageLog, uniqueSuffix } from '../support/people.ts';

/**
 * Stateless app instances: two app processes on one PostgreSQL and one SFU. Each person uses a different
 * process; every write, through either, reaches both. Needs a real PostgreSQL (DATABASE_URL), because
 * PGlite belongs to one process.
 */
const adminUrl = process.env.DATABASE_URL;
const appDir = fileURLToPath(new URL('../..', import.meta.url));
const KEY = 'twokey';
const SECRET = 'two-processes-secret-long-enough-for-hs256';

describe.skipIf(!adminUrl)('two app processes, one PostgreSQL, one SFU', () => {
  let sfu: SfuServer;
  let apps: AppServer[] = [];
  const browser = setupBrowser();
  let dropDatabase: () => Promise<void> = async () => {};
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    // A throwaway database, so both processes migrate and seed from scratch like a fresh deployment.
    const database = await throwawayDatabase(adminUrl ?? '', 'rhizom_two');
    dropDatabase = database.drop;
    sfu = await startSfu({ port: 0, keys: { [KEY]: SECRET } });
    const env = {
      DATABASE_URL: database.url,
      LIVEKIT_URL: sfu.url,
      LIVEKIT_API_KEY: KEY,
      LIVEKIT_API_SECRET: SECRET,
    };
    apps = await Promise.all([startAppServer(appDir, env), startAppServer(appDir, env)]);
  }, 180_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await Promise.all(apps.map((app) => app.close()));
    await sfu?.close();
    await dropDatabase();
  });

  async function person(baseUrl: string, name: string): Promise<Page> {
    const context = await browser().newContext();
    contexts.push(context);
    const page = await context.newPage();
    await continueAsGuest(page, baseUrl, name);
    return page;
  }

  test('a write through either process reaches the clients of both', async () => {
    const [one, two] = apps as [AppServer, AppServer];
    const suffix = uniqueSuffix();
    const ada = await person(one.url, `Ada ${suffix}`);
    const spaceId = `@shared-${suffix}`;
    await createSpace(ada, one.url, { name: `Shared ${suffix}`, id: spaceId, visibility: 'public' });
    const bob = await person(two.url, `Bob ${suffix}`);
    await bob.goto(`${two.url}/being/${spaceId}`);
    for (const page of [ada, bob]) {
      await expect
        .poll(() => page.getByRole('status').filter({ hasText: 'Live' }).count(), { timeout: 30_000 })
        .toBe(1);
    }

    const viaOne = `written through process one ${suffix}`;
    await messageBox(ada).fill(viaOne);
    await messageBox(ada).press('Enter');
    await messageLog(bob).getByText(viaOne).waitFor({ timeout: 15_000 });

    const viaTwo = `written through process two ${suffix}`;
    await messageBox(bob).fill(viaTwo);
    await messageBox(bob).press('Enter');
    await messageLog(ada).getByText(viaTwo).waitFor({ timeout: 15_000 });
  });
});
