import { launchChromium } from '@rhizom/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.ts';

type ClientState = {
  status: string;
  seq: number;
  intentions: { content: string }[];
  seqLog: number[];
  stats: { connects: number };
};
type Timeline = { at: number; what: string }[];

/**
 * Recovery from an SFU crash, with every part as deployed: `rhizom-sfu` as its own process (killed with
 * SIGKILL and started again on its port), the sync server's broadcaster and the browser client
 * (livekit-client in Chromium) on their default retry schedules. Their interplay decides how long people
 * look at a stale space once the SFU is back; the test logs the client's timeline from that moment.
 */
let harness: Harness;
let browser: Browser;

beforeAll(async () => {
  [harness, browser] = await Promise.all([
    // Defaults, not the harness's quick test schedule: the schedule is what is measured here.
    startHarness({
      sfuProcess: true,
      broadcast: { sweepIntervalMs: undefined, retryInitialMs: undefined, retryMaxMs: undefined },
    }),
    launchChromium(),
  ]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

const state = (page: Page): Promise<ClientState> =>
  page.evaluate(() => (window as never as { rhizom: { state(): ClientState } }).rhizom.state());
const timeline = (page: Page): Promise<Timeline> =>
  page.evaluate(() => (window as never as { rhizom: { timeline(): Timeline } }).rhizom.timeline());

/** A tab with the client loaded and not started (each in its own context, like another machine). */
async function loadTab(): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(harness.url);
  return page;
}

function start(page: Page, space: string, beingId: string): Promise<void> {
  return page.evaluate(
    (args) =>
      (window as never as { rhizom: { start(s: string, b: string, schedule: string): void } }).rhizom.start(
        args.space,
        args.beingId,
        'defaults',
      ),
    { space, beingId },
  );
}

/** Resolves when the page is live and holds exactly `seq` events; returns when that was first seen. */
async function liveAt(page: Page, seq: number): Promise<number> {
  await expect
    .poll(() => state(page).then((s) => s.status === 'live' && s.seq === seq), {
      timeout: 60_000,
      interval: 20,
    })
    .toBe(true);
  return performance.now();
}

/**
 * Recovery must come from the quick reconnect schedule (an attempt within a second for the first ~10 s of
 * an outage), not from long waits (livekit-client's default policy waits up to 7 s between tries, the
 * client's backoff up to 15 s: 17 s measured on the first code). The bound sits between the two, beyond
 * the time a fresh client needs to join at the same moment, so it fails if the quick schedule is lost but
 * not when a busy machine adds a few hundred ms (a 3 s bound failed CI once at 3.77 s). The 3 s
 * is the logged figure; tests do not assert wall-clock speed.
 */
const RECOVERY_BOUND_MS = 8_000;

describe('recovery after the SFU process dies', () => {
  it('a client is live and caught up on the quick reconnect schedule once the SFU accepts connections again', async () => {
    const [page, fresh] = await Promise.all([loadTab(), loadTab()]);
    await start(page, '@crash', '@ada');
    await harness.write('@crash', 'c1', 'before the crash');
    await liveAt(page, 1);

    const tokensBefore = harness.tokenRequests('@ada');
    await harness.stopSfu();
    await expect.poll(() => state(page).then((s) => s.status), { timeout: 30_000 }).not.toBe('live');
    for (let i = 2; i <= 4; i++) await harness.write('@crash', `c${i}`, `during the outage ${i}`);
    // Long enough for the client's schedule to have tried a few times.
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    await timeline(page);
    const spawned = Date.now();
    await harness.restartSfu();
    const back = performance.now();
    const backAt = Date.now();
    await harness.write('@crash', 'c5', 'after the restart');
    // A client joining now shows what joining costs on this machine at this moment (CI is loaded): the
    // recovering client may take the bound beyond it, not more.
    await start(fresh, '@crash', '@bob');
    const [recovered, joined] = await Promise.all([liveAt(page, 5), liveAt(fresh, 5)]);
    const recoveryMs = recovered - back;
    const joinMs = joined - back;
    const steps = (await timeline(page)).map(
      ({ at, what }) => `  ${String(at - backAt).padStart(6)} ${what}`,
    );
    console.info(
      `recovery after an SFU kill -9: live and caught up ${Math.round(recoveryMs)} ms after the SFU accepted connections (a client joining then: ${Math.round(joinMs)} ms; the SFU took ${backAt - spawned} ms from spawn to accepting them)\n` +
        `the client, in ms from then:\n${steps.join('\n')}`,
    );

    const final = await state(page);
    expect(final.intentions.map((row) => row.content)).toEqual([
      'before the crash',
      'during the outage 2',
      'during the outage 3',
      'during the outage 4',
      'after the restart',
    ]);
    expect(final.seqLog).toEqual([...final.seqLog].sort((a, b) => a - b));
    // The client joined afresh (livekit-client's own reconnect, which waits 2 s, is off), and every attempt
    // of the outage used the one token it fetched after the drop.
    expect(final.stats.connects).toBe(2);
    expect(harness.tokenRequests('@ada') - tokensBefore).toBe(1);
    expect(recoveryMs).toBeLessThan(RECOVERY_BOUND_MS + joinMs);
  }, 120_000);
});
