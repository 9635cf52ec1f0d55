import { expect, inject, test } from 'vitest';
import { setupBrowser } from '../support/browser.ts';
import { guests } from '../support/people.ts';

/**
 * Sync carries data only, so a page that is live in a space sets up no media: it never starts the browser's
 * audio output (the first AudioContext of a page does, which costs its main thread hundreds of milliseconds
 * on a slow phone), and its peer connections get data channels but no media transceivers (the SDK's
 * single-connection join adds six, and an offer, before anything is sent). Counted by wrapping the
 * constructors and methods before the page's own scripts run.
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

const COUNT_RTC = `(() => {
  const counts = { transceivers: 0, dataChannels: 0 };
  window.__rtc = counts;
  const proto = RTCPeerConnection.prototype;
  const addTransceiver = proto.addTransceiver;
  proto.addTransceiver = function (...args) {
    counts.transceivers++;
    return addTransceiver.apply(this, args);
  };
  const createDataChannel = proto.createDataChannel;
  proto.createDataChannel = function (...args) {
    counts.dataChannels++;
    return createDataChannel.apply(this, args);
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

test('a page live in a space publishes its presence beats over data channels, with no media transceivers', async () => {
  const page = await person('Data-only reader');
  await page.addInitScript({ content: COUNT_RTC });
  await page.reload();
  const counts = () => page.evaluate(() => (window as unknown as { __rtc: Record<string, number> }).__rtc);
  // Its first presence beat makes the SDK open its publisher's data channels.
  await expect.poll(async () => (await counts()).dataChannels, { timeout: 30_000 }).toBeGreaterThan(0);
  expect((await counts()).transceivers).toBe(0);
});
