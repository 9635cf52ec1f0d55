import { launchChromium } from '@rhizom/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/**
 * One headless Chromium for the calling file (or describe block): launched before its tests, closed after
 * them. Returns a getter, because the browser exists only once beforeAll has run.
 */
export function setupBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser)
      throw new Error('setupBrowser(): the browser is launched in beforeAll; call the getter in a test');
    return browser;
  };
}
