import { describe, expect, it } from 'vitest';
import { JOIN_GRACE_MS, Liveness, livenessTiming } from '../src/client/liveness.ts';

const BOUND = 1_500;

describe('livenessTiming', () => {
  it('beats every 500 ms and allows 1.5 s of silence up to 21 people, then slows so nobody hears more than 40 a second', () => {
    expect(livenessTiming(1)).toEqual({ intervalMs: 500, boundMs: 1_500 });
    expect(livenessTiming(21)).toEqual({ intervalMs: 500, boundMs: 1_500 });
    // Up to 41 people the interval stays within Chromium's hidden-tab second: the 2 s promise holds.
    expect(livenessTiming(41)).toEqual({ intervalMs: 1_000, boundMs: 1_500 });
    expect(livenessTiming(42)).toEqual({ intervalMs: 1_025, boundMs: 2_500 });
    for (const people of [2, 10, 50, 200, 1_000]) {
      const { intervalMs, boundMs } = livenessTiming(people);
      expect((people - 1) * (1_000 / intervalMs)).toBeLessThanOrEqual(40);
      // A hidden sender's timer waits for the next whole second; the bound still leaves slack beyond it.
      expect(boundMs - Math.ceil(intervalMs / 1_000) * 1_000).toBe(500);
    }
  });
});

describe('Liveness', () => {
  it('keeps someone heard within the bound, drops them after it, and takes them back when heard again', () => {
    const liveness = new Liveness();
    liveness.see('@bob#1', 0);
    expect(liveness.hear('@bob#1', 100, BOUND)).toBe(false);
    expect(liveness.isHere('@bob#1', 1_600, BOUND)).toBe(true);
    expect(liveness.nextChange(1_600, BOUND)).toBe(1_601);
    expect(liveness.isHere('@bob#1', 1_601, BOUND)).toBe(false);
    expect(liveness.nextChange(1_601, BOUND)).toBeNull();
    // A resume: the same identity is heard again and is back at once (the caller re-renders).
    expect(liveness.hear('@bob#1', 20_000, BOUND)).toBe(true);
    expect(liveness.isHere('@bob#1', 20_000, BOUND)).toBe(true);
  });

  it('tolerates a hidden tab that beats once a second on whole seconds, with a late beat', () => {
    const liveness = new Liveness();
    liveness.see('@bob#1', 0);
    for (let t = 1_000; t <= 10_000; t += 1_000) {
      const arrived = t + (t % 3_000 === 0 ? 400 : 20);
      expect(liveness.isHere('@bob#1', arrived - 1, BOUND)).toBe(true);
      liveness.hear('@bob#1', arrived, BOUND);
    }
  });

  it('gives a newcomer its join grace before its first packet', () => {
    const liveness = new Liveness();
    liveness.see('@cy#1', 1_000);
    expect(liveness.isHere('@cy#1', 1_000 + JOIN_GRACE_MS, BOUND)).toBe(true);
    expect(liveness.nextChange(1_000, BOUND)).toBe(1_001 + JOIN_GRACE_MS);
    expect(liveness.isHere('@cy#1', 1_001 + JOIN_GRACE_MS, BOUND)).toBe(false);
    // Seeing it again (another participant update) does not restart its grace.
    liveness.see('@cy#1', 2_000);
    expect(liveness.isHere('@cy#1', 1_001 + JOIN_GRACE_MS, BOUND)).toBe(false);
  });

  it('gives everyone the grace anew after our own reconnection, and forgets who left', () => {
    const liveness = new Liveness();
    liveness.hear('@bob#1', 0, BOUND);
    liveness.hear('@cy#1', 0, BOUND);
    expect(liveness.isHere('@bob#1', 5_000, BOUND)).toBe(false);
    liveness.restart(5_000);
    expect(liveness.isHere('@bob#1', 5_000 + JOIN_GRACE_MS, BOUND)).toBe(true);
    liveness.forget('@cy#1');
    // Unknown identities have not had their grace yet: here.
    expect(liveness.isHere('@cy#1', 60_000, BOUND)).toBe(true);
    expect(liveness.nextChange(5_000, BOUND)).toBe(5_001 + JOIN_GRACE_MS);
  });

  it('says who comes back: hearing someone absent is a change, hearing someone here is not', () => {
    const liveness = new Liveness();
    expect(liveness.hear('@new#1', 0, BOUND)).toBe(true);
    expect(liveness.hear('@new#1', 400, BOUND)).toBe(false);
    expect(liveness.hear('@new#1', 2_000, BOUND)).toBe(true);
  });
});
