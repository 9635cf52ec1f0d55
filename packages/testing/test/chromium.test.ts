import { afterEach, expect, test } from 'vitest';
import { launchChromium, launchChromiumServer } from '../src/chromium.ts';

const configured = process.env.CHROMIUM_PATH;
afterEach(() => {
  if (configured === undefined) delete process.env.CHROMIUM_PATH;
  else process.env.CHROMIUM_PATH = configured;
});

test('without Chromium, launching says where it looked and how to install it', async () => {
  process.env.CHROMIUM_PATH = '/nowhere/chromium';
  const advice = /No Chromium at \/nowhere\/chromium: .*apt-get install chromium.*CHROMIUM_PATH/;
  await expect(launchChromium()).rejects.toThrow(advice);
  await expect(launchChromiumServer()).rejects.toThrow(advice);
});
