import { describe, expect, it } from 'vitest';
import { oneAtATime } from '../../src/sync/one-at-a-time.ts';

/** A store whose state is a number, and the renders the feed asked for. */
function setup(start = 0) {
  const store = { state: start, getState: () => store.state };
  const renders: number[] = [];
  const feed = oneAtATime(store, start, (state) => renders.push(state));
  const change = (state: number) => {
    store.state = state;
    feed.changed();
  };
  return { renders, feed, change };
}

describe('oneAtATime', () => {
  it('renders a change at once when nothing is rendering', () => {
    const { renders, change } = setup();
    change(1);
    expect(renders).toEqual([1]);
  });

  it('asks for nothing more while a render is on its way, then for the newest state only', () => {
    const { renders, feed, change } = setup();
    change(1);
    change(2);
    change(3);
    expect(renders).toEqual([1]);
    feed.shown(1);
    expect(renders).toEqual([1, 3]);
    feed.shown(3);
    expect(renders).toEqual([1, 3]);
  });

  it('skips a change back to what is on screen', () => {
    const { renders, feed, change } = setup();
    change(1);
    feed.shown(1);
    change(1);
    expect(renders).toEqual([1]);
  });

  it('keeps waiting when another state commits first (a render for another cause)', () => {
    const { renders, feed, change } = setup();
    change(1);
    change(2);
    feed.shown(2);
    expect(renders).toEqual([1]);
    feed.shown(1);
    // The store is at 2: once 1 is on screen, 2 follows.
    expect(renders).toEqual([1, 2]);
  });
});
