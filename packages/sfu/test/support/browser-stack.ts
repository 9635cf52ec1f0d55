import { launchChromium } from '@rhizom/testing';
import { pino } from 'pino';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type SfuOptions, type SfuServer, startSfu } from '../../src/start.ts';
import { servePage } from './browser.ts';
import { BrowserParticipant } from './browser-participant.ts';
import { joinToken, KEYS } from './tokens.ts';

export interface BrowserJoin {
  /** Grants added to the default join token. */
  grant?: Parameters<typeof joinToken>[2];
  /** A join token of the test's own instead of the default one. */
  token?: string | Promise<string>;
  options?: Parameters<typeof BrowserParticipant.join>[5];
}

export interface BrowserStack {
  readonly sfu: SfuServer;
  /** livekit-client in a fresh browser context; left when the file's tests end. */
  join(room: string, identity: string, how?: BrowserJoin): Promise<BrowserParticipant>;
}

/**
 * One SFU, one headless Chromium and the page that serves livekit-client, shared by a test file's
 * tests: started before the first and stopped, with every participant joined through it, after the last.
 */
export function useBrowserStack(options: Partial<SfuOptions> = {}): BrowserStack {
  let sfu: SfuServer | undefined;
  let browser: Browser | undefined;
  let page: { url: string; close(): Promise<void> } | undefined;
  const joined: BrowserParticipant[] = [];

  beforeAll(async () => {
    sfu = await startSfu({ port: 0, keys: KEYS, logger: pino({ level: 'warn' }), ...options });
    [browser, page] = await Promise.all([launchChromium(), servePage()]);
  });

  afterAll(async () => {
    await Promise.all(joined.map((p) => p.close()));
    await browser?.close();
    await page?.close();
    await sfu?.close();
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the browser stack starts in beforeAll: use it inside a test');
    return value;
  };

  return {
    get sfu() {
      return started(sfu);
    },
    async join(room, identity, how = {}) {
      const token = await (how.token ?? joinToken(room, identity, how.grant));
      const participant = await BrowserParticipant.join(
        started(browser),
        started(page).url,
        started(sfu).url,
        token,
        identity,
        how.options,
      );
      joined.push(participant);
      return participant;
    },
  };
}
