/** A store as React subscribes to it. */
export interface Store<S> {
  subscribe(listener: () => void): () => void;
  getState(): S;
}

/**
 * Hands a store's changes to `render` one at a time: the next state is asked for only once the one before
 * is on screen (`shown`), and then it is the newest, however many changes came in between. A render that
 * takes longer than the changes' interval (a busy space on a slow phone) then costs one render per render's
 * length, never a queue of stale ones, and a render React interrupts is never restarted by the next packet.
 *
 * Worked example: states 1, 2, 3 arrive while state 1 renders; `render(3)` follows `shown(1)`, and 2 is
 * never rendered. `changed()` is the store's listener; `shown(s)` is called once `s` has committed.
 */
export function oneAtATime<S>(store: Pick<Store<S>, 'getState'>, onScreen: S, render: (state: S) => void) {
  let rendering: S | undefined;
  let screen = onScreen;
  const changed = () => {
    if (rendering !== undefined) return;
    const next = store.getState();
    if (next === screen) return;
    rendering = next;
    render(next);
  };
  const shown = (state: S) => {
    screen = state;
    if (rendering === state) rendering = undefined;
    changed();
  };
  return { changed, shown };
}
