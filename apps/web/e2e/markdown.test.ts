import { expect, inject, test } from 'vitest';
import { setupBrowser } from './support/browser.ts';
import { continueAsGuest, messageBox, messageLog, uniqueSuffix } from './support/people.ts';

const baseUrl = inject('baseUrl');
const browser = setupBrowser();

test('messages render Markdown (GFM) but never raw HTML', async () => {
  const context = await browser().newContext();
  const page = await context.newPage();
  let dialogs = 0;
  page.on('dialog', (dialog) => {
    dialogs++;
    void dialog.dismiss();
  });
  await continueAsGuest(page, baseUrl, `Writer ${uniqueSuffix()}`);
  const marker = uniqueSuffix();
  const content = [
    `**bold ${marker}** and ~~gone~~`,
    '',
    '- [x] done',
    '',
    '<img src="x" onerror="alert(1)"><script>alert(2)</script><b>raw</b>',
    '',
    '[a link](https://example.com)',
  ].join('\n');
  await messageBox(page).fill(content);
  await messageBox(page).press('Enter');

  const message = messageLog(page)
    .getByRole('article')
    .filter({ hasText: `bold ${marker}` });
  await message.locator('strong', { hasText: `bold ${marker}` }).waitFor();
  await expect(message.locator('del').textContent()).resolves.toBe('gone');
  await expect(message.locator('input[type="checkbox"]').isChecked()).resolves.toBe(true);
  const link = message.getByRole('link', { name: 'a link' });
  await expect(link.getAttribute('rel')).resolves.toContain('noopener');
  // Raw HTML is dropped: no image, script or <b> from the text reaches the page, and nothing ran.
  await expect(message.locator('img, script, b').count()).resolves.toBe(0);
  expect(dialogs).toBe(0);
  await context.close();
});
