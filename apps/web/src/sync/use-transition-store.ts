'use client';

import { startTransition, useEffect, useRef, useState } from 'react';
import { frameBatched } from './frame-batched';
import { oneAtATime, type Store } from './one-at-a-time';

/**
 * A store's state, its changes rendered as transitions, one at a time (`oneAtATime`), at most once per
 * animation frame (`frameBatched`). Why not `useSyncExternalStore`: React renders its every change
 * synchronously, and a change that reaches a part of the page not hydrated yet hydrates that part in the
 * same task. A busy space's packets then blocked the main thread for hundreds of milliseconds at a time,
 * the composer included; as transitions, React renders them in slices between which the page answers.
 * No part of the page can show two states at once: the one state is passed down from here.
 * `empty` is the state without a store (on the server, while the sync code loads).
 */
export function useTransitionStore<S>(store: Store<S> | null, empty: S): S {
  const [shown, setShown] = useState(() => ({ store, state: store?.getState() ?? empty }));
  // Another store than the one shown (another space, or the sync code just loaded): its state at once.
  const state = shown.store === store ? shown.state : (store?.getState() ?? empty);
  const committed = useRef<(state: S) => void>(undefined);
  useEffect(() => committed.current?.(state), [state]);
  // `state` is where a new store's feed starts, not a reason to subscribe again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: read once per store, as said above
  useEffect(() => {
    if (store === null) return;
    const feed = oneAtATime(store, state, (next) => startTransition(() => setShown({ store, state: next })));
    committed.current = feed.shown;
    const unsubscribe = frameBatched(store.subscribe)(feed.changed);
    // What changed between this render and the subscription.
    feed.changed();
    return () => {
      committed.current = undefined;
      unsubscribe();
    };
  }, [store]);
  return state;
}
