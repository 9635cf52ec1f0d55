import type { Page } from 'playwright-core';
import { afterAll, expect, inject, test } from 'vitest';
import { setupBrowser } from './support/browser.ts';
import { continueAsGuest, createSpace, messageBox, uniqueSuffix } from './support/people.ts';

/** A phone (390×844, touch): the layout holds, the rail names spaces, hints fit a touch screen. */
const baseUrl = inject('baseUrl');
const browser = setupBrowser();
let phone: Page;

afterAll(async () => {
  await phone?.context().close();
});

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function box(page: Page, selector: Parameters<Page['locator']>[0]): Promise<Box> {
  const found = await page.locator(selector).first().boundingBox();
  if (!found) throw new Error(`${selector} is not visible`);
  return found;
}

test('on a phone the title and the live pill do not overlap, the rail shows names, no keyboard hints', async () => {
  const context = await browser().newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  phone = await context.newPage();
  // Production builds keep the console for warnings and errors: no routine chatter from tRPC, LiveKit or sync.
  const chatter: string[] = [];
  phone.on('console', (message) => {
    if (['log', 'info', 'debug'].includes(message.type())) chatter.push(message.text().slice(0, 120));
  });
  const suffix = uniqueSuffix();
  await continueAsGuest(phone, baseUrl, `Pocket ${suffix}`);
  const name = `A space with a rather long name ${suffix}`;
  await createSpace(phone, baseUrl, { name, id: `@phone-${suffix}`, visibility: 'public' });
  const pill = phone.getByRole('status').filter({ hasText: /Live/ });
  await expect.poll(() => pill.textContent(), { timeout: 30_000 }).toContain('here');

  const title = await box(phone, 'h1');
  const status = await pill.boundingBox();
  if (!status) throw new Error('the live pill is not visible');
  expect(overlaps(title, status)).toBe(false);
  // Nothing is wider than the phone: the page never scrolls sideways.
  const widths = await phone.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.client);
  // Nor is anything cut off at its right edge: the composer and its Send button fit on the screen.
  for (const control of [messageBox(phone), phone.getByRole('button', { name: 'Send' })]) {
    const edge = await control.boundingBox();
    if (!edge) throw new Error('the composer is not visible');
    expect(edge.x + edge.width).toBeLessThanOrEqual(widths.client);
  }
  // The header's own box stays on the screen.
  const header = await box(phone, 'main header');
  expect(header.x + header.width).toBeLessThanOrEqual(390);
  // The rail names the space (not an initial), even if cut short.
  const railLink = phone
    .getByRole('navigation', { name: 'Spaces' })
    .getByRole('link', { name: new RegExp(suffix) });
  // biome-ignore lint/performance/useDomNodeTextContent: what shows is the point (the name, not an initial)
  const railText = await railLink.evaluate((el) => (el as HTMLElement).innerText);
  expect(railText).toContain('A space');
  // Touch screens get no Enter/Shift+Enter hint, and Enter makes a new line instead of sending.
  await expect(phone.getByText('Shift').isVisible()).resolves.toBe(false);
  await messageBox(phone).fill('first');
  await messageBox(phone).press('Enter');
  await expect(messageBox(phone).inputValue()).resolves.toBe('first\n');
  // A message's actions are always shown on touch screens: under its text, in its column, not squeezed into
  // the avatar's.
  await phone.getByRole('button', { name: 'Send' }).click();
  const message = phone
    .getByRole('log', { name: 'Messages' })
    .getByRole('article')
    .filter({ hasText: 'first' });
  const text = await message.getByText('first', { exact: true }).boundingBox();
  const copy = await message.getByRole('button', { name: 'Copy link' }).boundingBox();
  if (!text || !copy) throw new Error('the message or its actions are not visible');
  expect(copy.x).toBeGreaterThanOrEqual(text.x);
  expect(copy.y).toBeGreaterThanOrEqual(text.y + text.height);
  await phone.screenshot({ path: `${process.env.TMPDIR ?? '/tmp'}/rhizom-mobile.png` });
  expect(chatter).toEqual([]);
}, 120_000);

test('Tab once reaches the skip link, which jumps to the message box', async () => {
  const context = await browser().newContext();
  const page = await context.newPage();
  await continueAsGuest(page, baseUrl, `Keys ${uniqueSuffix()}`);
  await expect.poll(() => messageBox(page).isEnabled(), { timeout: 30_000 }).toBe(true);
  await page.getByTitle('Your profile').waitFor();
  await page.keyboard.press('Tab');
  await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe(
    'Skip to the message box',
  );
  await page.keyboard.press('Enter');
  await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe(
    'Message',
  );
  await context.close();
}, 120_000);
