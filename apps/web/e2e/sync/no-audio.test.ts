import { expect, inject, test } from 'vitest';
import { setupBrowser } from '../support/browser.ts';
import { guests } from '../support/people.ts';

/**
 * Sync plays no audio, so a page that is live in a space never starts the browser's audio output (the
 * first AudioContext of a page does, which costs its main thread hundreds of milliseconds on a slow
 * phone). Counted by wrapping the constructor before the page's own scripts run.
 */
const baseUrl = inject('baseUrl');
const browser = setupBrowser();
const person = guests(browser, baseUrl);

const COUNT_AUDIO_CONTEXTS = `(() => {
  const Original = window.AudioContext;
  window.__audioContexts = 0;
  window.AudioContext = class extends Original {
    constructor(...args) {
      super(...args);
      window.__audioContexts++;
    }
  };
})();`;

test('a page live in a space opens no AudioContext', async () => {
  const page = await person('Quiet reader');
  await page.addInitScript({ content: COUNT_AUDIO_CONTEXTS });
  // The reload runs the counter first; the space (#intraliminal) connects its rooms from scratch, and
  // "Live" says its room has connected (livekit-client sets up audio as a connect starts).
  await page.reload();
  await expect
    .poll(() => page.getByRole('status').filter({ hasText: 'Live' }).count(), { timeout: 30_000 })
    .toBeGreaterThan(0);
  expect(await page.evaluate(() => (window as unknown as { __audioContexts: number }).__audioContexts)).toBe(
    0,
  );
});
